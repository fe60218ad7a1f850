package org.gammaiqa.server;

import java.util.Set;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.map.WindowGrid;
import org.gammaiqa.scoring.ScoringOptions;

/**
 * A {@code POST /v1/map} request read and checked: one image (raw body, or a form with one file part), the
 * {@code scene} or {@code prompts} (as {@code /v1/score}) and the {@code stride} (default 112, an integer from 16 to
 * 224), and whether the client asked for the PNG ({@code Accept: image/png}) rather than the JSON grid. The body and
 * pixel limits are {@code /v1/score}'s.
 */
record MapRequest(String name, RgbImage image, ScoringOptions options, int stride, boolean png) {
    /** The parameters a request may give, in the query string or as form fields. */
    static final Set<String> PARAMETERS = Set.of("scene", "prompts", "stride");

    /** Reads a request whose body has arrived whole; {@code accept} is its Accept header, or null. */
    static MapRequest read(String contentType, String rawQuery, String accept, byte[] body, ServerConfig.Limits limits,
                           ImageDecoder decoder) throws ApiException {
        ScoreRequest.Upload upload = ScoreRequest.upload(contentType, rawQuery, body, limits, PARAMETERS);
        if (upload.files().size() != 1) {
            throw new ApiException(400, "/v1/map takes one image, the form holds " + upload.files().size()
                    + "; send one file part, or the image as the raw body");
        }
        ScoringOptions options = ScoreRequest.options(upload.params(), limits);
        int stride = WindowGrid.DEFAULT_STRIDE;
        String given = upload.params().get("stride");
        if (given != null) {
            try {
                stride = parseStride(given);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage());
            }
        }
        RgbImage image = ScoreRequest.decode(decoder, upload.names().get(0), upload.files().get(0));
        return new MapRequest(upload.names().get(0), image, options, stride, accept != null && accept.contains("image/png"));
    }

    private static int parseStride(String s) {
        int stride;
        try {
            stride = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stride '" + s + "' is not an integer; expected " + WindowGrid.MIN_STRIDE
                    + " to " + WindowGrid.MAX_STRIDE + " pixels, e.g. stride=" + WindowGrid.DEFAULT_STRIDE);
        }
        WindowGrid.checkStride(stride);
        return stride;
    }
}
