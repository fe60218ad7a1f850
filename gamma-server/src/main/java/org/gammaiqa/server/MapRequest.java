package org.gammaiqa.server;

import com.sun.net.httpserver.HttpExchange;
import java.util.Set;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.map.WindowGrid;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.text.Scene;

/**
 * A {@code POST /v1/map} request read and checked: one image (raw body, or a form with one file part), the
 * {@code scene} (as {@code /v1/score}) and the {@code stride} (default 112, an integer from 16 to 224), and whether the
 * client asked for the PNG ({@code Accept: image/png}) rather than the JSON grid. The body and pixel limits are
 * {@code /v1/score}'s.
 */
record MapRequest(String name, RgbImage image, ScoringOptions options, int stride, boolean png) {
    private static final Set<String> PARAMETERS = Set.of("scene", "stride");

    static MapRequest read(HttpExchange ex, ServerConfig.Limits limits, ImageDecoder decoder) throws ApiException {
        ScoreRequest.Upload upload = ScoreRequest.upload(ex, limits, PARAMETERS);
        if (upload.files().size() != 1) {
            throw new ApiException(400, "/v1/map takes one image, the form holds " + upload.files().size()
                    + "; send one file part, or the image as the raw body");
        }
        ScoringOptions options = ScoringOptions.defaults();
        int stride = WindowGrid.DEFAULT_STRIDE;
        try {
            String scene = upload.params().get("scene");
            if (scene != null) {
                options = options.withPrompts(Scene.parse(scene).prompts());
            }
            String given = upload.params().get("stride");
            if (given != null) {
                stride = parseStride(given);
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        RgbImage image = ScoreRequest.decode(decoder, upload.names().get(0), upload.files().get(0));
        String accept = ex.getRequestHeaders().getFirst("Accept");
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
