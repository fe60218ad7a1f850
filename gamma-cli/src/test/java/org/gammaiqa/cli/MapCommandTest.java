package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.map.QualityMap;
import org.gammaiqa.map.QualityMapper;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gamma map} on the micro fixture: the PNG and JSON per image, the library's grid, failures and bad options. */
class MapCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesAPngAndTheLibrarysGridAsJsonAndAFailedImageFailsAlone(@TempDir Path tmp) throws Exception {
        RgbImage wide = ImageOps.resizeBicubic(new ImageDecoder().decode(TestAssets.fixtures().resolve("images").resolve("scene1.png")), 500, 300);
        Path image = tmp.resolve("wide.png");
        ImageIO.write(wide.toBufferedImage(), "png", image.toFile());
        Path broken = tmp.resolve("broken.png");
        byte[] png = Files.readAllBytes(image);
        Files.write(broken, Arrays.copyOf(png, png.length / 2));
        Path out = tmp.resolve("maps");
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("map", "--model", ScoreCommandTest.model().toString(), "--vocab",
                TestAssets.vocabulary().toString(), "--scene", "natural", "--stride", "150", "--size", "400", "--out", out.toString(),
                image.toString(), broken.toString());
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains(broken.toString()).contains("1 of 2 images failed");
        assertThat(run.out()).contains(image.toString()).contains("2×3 windows");
        JsonNode json = JSON.readTree(out.resolve("wide.map.json").toFile());
        try (GammaScorer scorer = GammaScorer.load(ScoreCommandTest.model(), TestAssets.vocabulary())) {
            ScoringOptions options = ScoringOptions.defaults().withPrompts(Scene.NATURAL.prompts());
            QualityMap map = new QualityMapper(scorer).map(wide, options, 150);
            assertThat(json.get("name").asText()).isEqualTo("wide.png");
            assertThat(json.get("scene").asText()).isEqualTo("natural");
            assertThat(json.get("stride").asInt()).isEqualTo(150);
            assertThat(json.get("window").asInt()).isEqualTo(224);
            assertThat(json.get("rows").asInt()).isEqualTo(2);
            assertThat(json.get("cols").asInt()).isEqualTo(3);
            assertThat(json.get("score").asDouble()).isEqualTo(map.whole().score());
            assertThat(json.get("model").get("sha256").asText()).isEqualTo(scorer.source().sha256());
            for (int i = 0; i < map.cells().size(); i++) {
                JsonNode cell = json.get("cells").get(i);
                assertThat(cell.get("x").asInt()).isEqualTo(map.cells().get(i).x());
                assertThat(cell.get("y").asInt()).isEqualTo(map.cells().get(i).y());
                assertThat(cell.get("score").asDouble()).isEqualTo(map.cells().get(i).score());
            }
        }
        BufferedImage drawn = ImageIO.read(out.resolve("wide.map.png").toFile());
        assertThat(drawn.getWidth()).isEqualTo(400);
        assertThat(Files.exists(out.resolve("broken.map.png"))).isFalse();
    }

    @Test
    void aStrideOutOfRangeIsRefusedBeforeLoadingTheModel(@TempDir Path tmp) {
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("map", "--model", tmp.resolve("absent.pth").toString(), "--stride", "8",
                TestAssets.fixtures().resolve("images").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("stride 8 is out of range; expected 16 to 224");
    }
}
