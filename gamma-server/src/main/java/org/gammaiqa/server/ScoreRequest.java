package org.gammaiqa.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.gammaiqa.image.ImageDecodeException;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.ImageTooLargeException;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.text.PromptSet;
import org.gammaiqa.text.Scene;

/**
 * A {@code POST /v1/score} request read and checked: the decoded images, their names, and the
 * scoring options from the {@code scene} (or {@code prompts}), {@code crops} and {@code seed} parameters
 * (query string, or form fields, which win). Defaults are {@link ScoringProtocol}'s, as {@code gamma score}'s.
 */
record ScoreRequest(List<String> names, List<RgbImage> images, ScoringOptions options) {
    /** Raw-body content types taken as an image; the decoder then recognises the format from the bytes. */
    static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/gif",
            "image/bmp", "image/x-ms-bmp", "image/tiff", "image/webp", "application/octet-stream");
    /** The parameters a request may give, in the query string or as form fields. */
    static final Set<String> PARAMETERS = Set.of("scene", "prompts", "crops", "seed");
    /** Name of a prompt set given in the {@code prompts} parameter, as results report it in {@code scene}. */
    static final String CUSTOM_PROMPTS = "custom";
    /** Longest {@code prompts} parameter: the text tower reads 77 tokens of each prompt at most anyway. */
    private static final int MAX_PROMPTS_CHARS = 4000;

    /** Refuses (415) a content type that is neither an image nor a multipart form, before the body is read. */
    static void checkContentType(String contentType) throws ApiException {
        String mediaType = mediaType(contentType);
        if (!mediaType.equals("multipart/form-data") && !IMAGE_TYPES.contains(mediaType)) {
            throw new ApiException(415, "unsupported Content-Type '" + (contentType == null ? "(none)" : contentType)
                    + "'; send an image (image/jpeg, image/png, image/gif, image/bmp, image/tiff, image/webp,"
                    + " application/octet-stream) or multipart/form-data with image files");
        }
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** The parts of a request body: the image files by name ({@code body} for a raw body) and the parameters. */
    record Upload(List<String> names, List<byte[]> files, Map<String, String> params) {}

    /** Reads a request whose body has arrived whole (under the body limit) and decodes its images. */
    static ScoreRequest read(String contentType, String rawQuery, byte[] body, ServerConfig.Limits limits, ImageDecoder decoder)
            throws ApiException {
        Upload upload = upload(contentType, rawQuery, body, limits, PARAMETERS);
        if (upload.files().size() > limits.maxImages()) {
            throw new ApiException(413, "multipart form holds " + upload.files().size() + " images, more than the limit of "
                    + limits.maxImages() + "; split the request");
        }
        ScoringOptions options = options(upload.params(), limits);
        List<RgbImage> images = new ArrayList<>(upload.files().size());
        for (int i = 0; i < upload.files().size(); i++) {
            images.add(decode(decoder, upload.names().get(i), upload.files().get(i)));
        }
        return new ScoreRequest(List.copyOf(upload.names()), List.copyOf(images), options);
    }

    /**
     * Splits a body that has arrived whole into its images and parameters: a raw image body, or a multipart form of
     * image files and the fields named in {@code parameters} (query-string parameters too; form fields win). Refuses
     * another content type (415), a form file that is not an image (415), an unknown parameter or form field, or a
     * form without image files (400).
     */
    static Upload upload(String contentType, String rawQuery, byte[] body, ServerConfig.Limits limits, Set<String> parameters)
            throws ApiException {
        checkContentType(contentType);
        String expected = String.join(", ", new TreeSet<>(parameters));
        Map<String, String> params = query(rawQuery);
        List<String> names = new ArrayList<>();
        List<byte[]> files = new ArrayList<>();
        if (mediaType(contentType).equals("multipart/form-data")) {
            for (Multipart.Part part : Multipart.parse(body, Multipart.boundary(contentType), limits.maxImages() + parameters.size())) {
                if (part.filename() == null && parameters.contains(part.name())) {
                    params.put(part.name(), part.text());
                } else if (part.filename() == null) {
                    throw new ApiException(400, "unknown form field '" + part.name() + "'; expected image files and the"
                            + " fields " + expected);
                } else {
                    String type = part.contentType() == null ? "application/octet-stream" : mediaType(part.contentType());
                    if (!IMAGE_TYPES.contains(type)) {
                        throw new ApiException(415, "form file '" + part.filename() + "' has Content-Type '" + part.contentType()
                                + "'; expected an image type or application/octet-stream");
                    }
                    names.add(part.filename());
                    files.add(part.body());
                }
            }
            if (files.isEmpty()) {
                throw new ApiException(400, "multipart form holds no image file; add one with curl -F image=@photo.jpg");
            }
        } else {
            names.add("body");
            files.add(body);
        }
        for (String key : params.keySet()) {
            if (!parameters.contains(key)) {
                throw new ApiException(400, "unknown parameter '" + key + "'; expected " + expected);
            }
        }
        return new Upload(List.copyOf(names), List.copyOf(files), params);
    }

    /** Decodes one uploaded file: 413 when it has too many pixels, 400 when it cannot be decoded, naming the file. */
    static RgbImage decode(ImageDecoder decoder, String name, byte[] file) throws ApiException {
        try {
            return decoder.decode(file);
        } catch (ImageTooLargeException e) {
            throw new ApiException(413, "image '" + name + "': " + e.getMessage());
        } catch (ImageDecodeException e) {
            throw new ApiException(400, "image '" + name + "': " + e.getMessage());
        }
    }

    /** The scoring options from {@code scene} or {@code prompts}, {@code crops} and {@code seed}; other keys are not read here. */
    static ScoringOptions options(Map<String, String> params, ServerConfig.Limits limits) throws ApiException {
        ScoringOptions defaults = ScoringProtocol.defaults();
        try {
            ScoringOptions o = defaults;
            if (params.containsKey("prompts")) {
                o = o.withPrompts(customPrompts(params.get("prompts")));
            } else if (params.containsKey("scene")) {
                o = o.withPrompts(Scene.parse(params.get("scene")).prompts());
            }
            if (params.containsKey("crops")) {
                CropPolicy crops = CropPolicy.parse(params.get("crops"));
                if (crops.count() > limits.maxCrops()) {
                    throw new ApiException(400, "crops=" + params.get("crops") + " is more than the limit of "
                            + limits.maxCrops() + " crops per image; ask for fewer");
                }
                o = o.withCrops(crops);
            }
            if (params.containsKey("seed")) {
                o = o.withSeed(parseSeed(params.get("seed")));
            }
            return o;
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    /** Five prompts, one per line, bad → perfect, as {@code gamma score --prompts} reads them from a file. */
    private static PromptSet customPrompts(String text) {
        if (text.length() > MAX_PROMPTS_CHARS) {
            throw new IllegalArgumentException("prompts parameter is " + text.length() + " characters, more than "
                    + MAX_PROMPTS_CHARS + "; send five short prompts, one per line");
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.strip().split("\r?\n", -1)));
        lines.replaceAll(String::strip);
        if (lines.size() != PromptSet.LEVELS.size() || lines.contains("")) {
            throw new IllegalArgumentException("prompts parameter has " + lines.size() + " lines" + (lines.contains("") ? ", some blank" : "")
                    + "; expected exactly five non-blank lines, one prompt per level " + PromptSet.LEVELS
                    + ", e.g. \"a bad photo\" … \"a perfect photo\"");
        }
        return new PromptSet(CUSTOM_PROMPTS, lines);
    }

    private static long parseSeed(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed '" + s + "' is not an integer; expected e.g. seed=0");
        }
    }

    private static Map<String, String> query(String raw) throws ApiException {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "malformed query parameter '" + pair + "': " + e.getMessage());
            }
        }
        return out;
    }
}
