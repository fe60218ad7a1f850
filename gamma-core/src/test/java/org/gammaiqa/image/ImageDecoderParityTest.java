package org.gammaiqa.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture decodes to the pixels of Pillow 9.4's {@code Image.open(p).convert("RGB")}. */
class ImageDecoderParityTest {

    /**
     * The only tolerances: lossless formats and PIL's own conversions (palette, 16-bit, CMYK) must be exact.
     * JPEG: the JDK decodes with IJG libjpeg 6b, PIL with libjpeg-turbo; both use the same integer IDCT
     * (ISLOW) and fancy h2v1/h2v2 upsampling, and we apply libjpeg's colour tables ourselves, so 0 is measured.
     * WebP lossy: TwelveMonkeys' pure-Java VP8 decoder is not libwebp (chroma upsampling and rounding differ);
     * the bound is what was measured on the fixture, kept so that any regression shows.
     */
    static final Map<String, Integer> TOLERANCE = Map.of("jpg", 0, "webp_lossy", 70);

    static Stream<JsonNode> cases() throws IOException {
        List<JsonNode> list = new ArrayList<>();
        new ObjectMapper().readTree(Fixtures.read("cases.json")).forEach(list::add);
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesLikePil(JsonNode c) throws IOException {
        String file = c.get("file").asText();
        RgbImage image = new ImageDecoder().decode(Fixtures.dir().resolve(file));
        assertThat(image.width()).isEqualTo(c.get("width").asInt());
        assertThat(image.height()).isEqualTo(c.get("height").asInt());
        int diff = Fixtures.maxDiff(image.rgb(), Fixtures.read(file + ".rgb"));
        int tolerance = !c.get("lossy").asBoolean() ? 0
                : TOLERANCE.getOrDefault(file.startsWith("webp") ? "webp_lossy" : "jpg", 0);
        System.out.printf("parity %-26s PIL mode %-5s max |diff| = %d (tolerance %d)%n",
                file, c.get("pilMode").asText(), diff, tolerance);
        assertThat(diff).as("max pixel difference from PIL for %s", file).isLessThanOrEqualTo(tolerance);
    }
}
