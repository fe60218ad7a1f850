package org.gammaiqa.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.gammaiqa.text.Scene;

/**
 * A {@code POST /v1/score} request read and checked: the decoded images, their names, and the
 * scoring options from the {@code scene}, {@code crops} and {@code seed} parameters (query string,
 * or form fields, which win). Defaults are {@code gamma score}'s: generic scene, 10 crops, seed 0.
 */
record ScoreRequest(List<String> names, List<RgbImage> images, ScoringOptions options) {
    /** Raw-body content types taken as an image; the decoder then recognises the format from the bytes. */
    static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/gif",
            "image/bmp", "image/x-ms-bmp", "image/tiff", "image/webp", "application/octet-stream");
    private static final Set<String> PARAMETERS = Set.of("scene", "crops", "seed");

    /** The parts of a request body: the image files by name ({@code body} for a raw body) and the parameters. */
    record Upload(List<String> names, List<byte[]> files, Map<String, String> params) {}

    static ScoreRequest read(HttpExchange ex, ServerConfig.Limits limits, ImageDecoder decoder) throws ApiException {
        Upload upload = upload(ex, limits, PARAMETERS);
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
     * Reads a request's images and parameters: a raw image body, or a multipart form of image files and the fields
     * named in {@code parameters} (query-string parameters too; form fields win). Refuses a body over the limit
     * (413), another content type (415), an unknown form field, or a form without image files (400).
     */
    static Upload upload(HttpExchange ex, ServerConfig.Limits limits, Set<String> parameters) throws ApiException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        boolean multipart = mediaType.equals("multipart/form-data");
        if (!multipart && !IMAGE_TYPES.contains(mediaType)) {
            throw new ApiException(415, "unsupported Content-Type '" + (contentType == null ? "(none)" : contentType)
                    + "'; send an image (image/jpeg, image/png, image/gif, image/bmp, image/tiff, image/webp,"
                    + " application/octet-stream) or multipart/form-data with image files");
        }
        Map<String, String> params = query(ex.getRequestURI().getRawQuery());
        byte[] body = body(ex, limits.maxBodyBytes());
        List<String> names = new ArrayList<>();
        List<byte[]> files = new ArrayList<>();
        if (multipart) {
            for (Multipart.Part part : Multipart.parse(body, Multipart.boundary(contentType), limits.maxImages() + parameters.size())) {
                if (part.filename() == null && parameters.contains(part.name())) {
                    params.put(part.name(), part.text());
                } else if (part.filename() == null) {
                    throw new ApiException(400, "unknown form field '" + part.name() + "'; expected image files and the"
                            + " fields " + String.join(", ", new TreeSet<>(parameters)));
                } else {
                    String type = part.contentType() == null ? "application/octet-stream"
                            : part.contentType().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
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
                throw new ApiException(400, "unknown parameter '" + key + "'; expected " + String.join(", ", new TreeSet<>(parameters)));
            }
        }
        return new Upload(names, files, params);
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

    private static ScoringOptions options(Map<String, String> params, ServerConfig.Limits limits) throws ApiException {
        ScoringOptions defaults = ScoringOptions.defaults();
        try {
            ScoringOptions o = defaults;
            if (params.containsKey("scene")) {
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

    /** The whole body, refused with 413 as soon as it is known to exceed the limit (from Content-Length, or while reading). */
    private static byte[] body(HttpExchange ex, long max) throws ApiException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > max) {
                    throw tooLarge(declared + " bytes", max);
                }
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Content-Length '" + declared + "' is not a number");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes((int) max + 1);
            if (body.length > max) {
                throw tooLarge("more than " + max + " bytes", max);
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(400, "cannot read the request body: " + e.getMessage());
        }
    }

    private static ApiException tooLarge(String size, long max) {
        return new ApiException(413, "request body is " + size + ", over the limit of " + max
                + " bytes; send a smaller image or ask the operator to raise --max-body-mb");
    }
}
