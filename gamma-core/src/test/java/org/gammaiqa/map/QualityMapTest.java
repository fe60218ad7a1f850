package org.gammaiqa.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quality maps on the micro fixture: the grid's layout, each window's score against the scorer's, JSON and PNG. */
class QualityMapTest {
    /** A fixture scene at 500×300: a grid of 2 rows and 4 columns at stride 112, its last column flush at x = 276. */
    private static RgbImage wide;
    private static GammaScorer scorer;

    @BeforeAll
    static void load() throws Exception {
        wide = ImageOps.resizeBicubic(new ImageDecoder().decode(TestAssets.fixtures().resolve("images").resolve("scene1.png")), 500, 300);
        scorer = GammaScorer.load(TestAssets.fixture("micro-fp16").resolve("gamma.pth"), TestAssets.vocabulary());
    }

    @AfterAll
    static void close() {
        scorer.close();
    }

    @Test
    void windowsStepByTheStrideAndTheLastIsFlushWithTheBorder() {
        assertThat(WindowGrid.positions(500, 112)).containsExactly(0, 112, 224, 276);
        assertThat(WindowGrid.positions(448, 112)).containsExactly(0, 112, 224);
        assertThat(WindowGrid.positions(224, 112)).containsExactly(0);
        assertThat(WindowGrid.positions(300, 224)).containsExactly(0, 76);
        assertThat(WindowGrid.positions(240, 16)).containsExactly(0, 16);
        WindowGrid grid = WindowGrid.over(wide, 112);
        assertThat(grid.rows()).isEqualTo(2);
        assertThat(grid.cols()).isEqualTo(4);
        assertThat(grid.size()).isEqualTo(8);
    }

    @Test
    void aStrideOutOfRangeIsRefusedNamingTheRange() {
        assertThatThrownBy(() -> WindowGrid.over(wide, 15)).hasMessageContaining("stride 15").hasMessageContaining("16 to 224");
        assertThatThrownBy(() -> WindowGrid.over(wide, 225)).hasMessageContaining("stride 225");
    }

    @Test
    void eachWindowScoresWhatScoringThatCropGives() {
        ScoringOptions options = ScoringOptions.defaults().withPrompts(Scene.NATURAL.prompts());
        QualityMap map = new QualityMapper(scorer).map(wide, options, 112);
        assertThat(map.rows() * map.cols()).isEqualTo(map.cells().size()).isEqualTo(8);
        assertThat(map.whole().score()).isEqualTo(scorer.score(wide, options).score());
        assertThat(map.scene()).isEqualTo("natural");
        double largest = 0;
        for (QualityMap.Cell cell : map.cells()) {
            assertThat(cell.w()).isEqualTo(224);
            assertThat(cell.h()).isEqualTo(224);
            RgbImage crop = ImageOps.crop(wide, cell.x(), cell.y(), 224, 224);
            double alone = scorer.score(crop, options.withCrops(new CropPolicy.Center())).score();
            largest = Math.max(largest, Math.abs(alone - cell.score()));
        }
        System.out.printf("map windows vs the same crops scored alone: largest difference %.2e%n", largest);
        assertThat(largest).as("batched windows against single crops, float32 reassociation").isLessThan(1e-6);
        assertThat(map.cell(1, 3).x()).isEqualTo(276);
        assertThat(map.cell(1, 3).y()).isEqualTo(76);
        assertThat(map.min()).isLessThanOrEqualTo(map.max());
    }

    @Test
    void aSmallImageIsMappedOnItsUpscaledCopyWithBoxesInItsOwnPixels() {
        RgbImage small = ImageOps.resizeBicubic(wide, 200, 100); // upscaled to 448×224
        QualityMap map = new QualityMapper(scorer).map(small, ScoringOptions.defaults(), 112);
        assertThat(map.rows()).isEqualTo(1);
        assertThat(map.cols()).isEqualTo(3);
        assertThat(map.whole().upscaled()).isTrue();
        assertThat(map.cells()).extracting(QualityMap.Cell::x).containsExactly(0, 50, 100);
        assertThat(map.cells()).allSatisfy(c -> {
            assertThat(c.w()).isEqualTo(100);
            assertThat(c.h()).isEqualTo(100);
        });
        RgbImage upscaled = ImageOps.upscaleToMinSide(small, 224);
        double alone = scorer.score(ImageOps.crop(upscaled, 224, 0, 224, 224), QualityMapper.windowOptions(ScoringOptions.defaults())).score();
        assertThat(map.cell(0, 2).score()).isCloseTo(alone, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void threadsShareOneMapperAndGetTheSameMaps() throws Exception {
        QualityMapper mapper = new QualityMapper(scorer);
        QualityMap expected = mapper.map(wide, ScoringOptions.defaults(), 224);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<QualityMap>> maps = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                maps.add(pool.submit(() -> mapper.map(wide, ScoringOptions.defaults(), 224)));
            }
            for (Future<QualityMap> f : maps) {
                assertThat(f.get().cells()).isEqualTo(expected.cells());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theJsonCarriesTheGridAndThePngTheImageWithALegend() throws Exception {
        QualityMap map = new QualityMapper(scorer).map(wide, ScoringOptions.defaults(), 224);
        JsonNode json = map.toJson("wide.png", scorer.source(), 12.5);
        assertThat(json.fieldNames()).toIterable().containsExactly("name", "width", "height", "scene", "window", "stride",
                "score", "cells", "rows", "cols", "min", "max", "model", "elapsed_ms");
        assertThat(json.get("cells")).hasSize(map.rows() * map.cols());
        assertThat(json.get("cells").get(1).get("x").asInt()).isEqualTo(map.cell(0, 1).x());
        assertThat(json.get("cells").get(1).get("score").asDouble()).isEqualTo(map.cell(0, 1).score());
        assertThat(json.get("model").get("sha256").asText()).hasSize(64);
        assertThat(json.get("width").asInt()).isEqualTo(500);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(MapRenderer.png(map, wide, "micro", 400)));
        assertThat(png.getWidth()).isEqualTo(400);
        assertThat(png.getHeight()).isGreaterThan(240); // the 400×240 image and the legend below
        assertThatThrownBy(() -> MapRenderer.png(map, ImageOps.resizeBicubic(wide, 100, 100), "micro", 400))
                .hasMessageContaining("500x300");
    }

    @Test
    void viridisRunsFromDarkPurpleToYellow() {
        assertThat(Viridis.rgb(0)).isEqualTo(0x440154);
        assertThat(Viridis.rgb(1)).isEqualTo(0xfde725);
        assertThat(Viridis.rgb(0.5)).isEqualTo(0x21918c);
        assertThat(Viridis.rgb(-3)).isEqualTo(Viridis.rgb(0));
        int mid = Viridis.rgb(0.05);
        assertThat(mid >> 16 & 0xff).isBetween(0x44, 0x48);
    }
}
