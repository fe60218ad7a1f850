package org.gammaiqa.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;

/**
 * The library as another project's JVM meets it: every input form gives the same score, results name the model that
 * made them, loading and scoring leave the JVM's system properties alone, and the demo model's private copy is
 * checked before it is read.
 */
class LibraryApiTest {
    private static final ScoringOptions OPTIONS = ScoringOptions.defaults();

    /**
     * Two libraries below Gamma record their own first load in system properties: DJL's engine start loads JNA
     * (to look for CUDA), which notes {@code jna.loaded}, {@code jnidispatch.path} and {@code jna.platform.library.path},
     * and the JDK notes {@code sun.font.fontmanager} when Java2D first starts and {@code user.timezone} when the default
     * time zone is first asked for (DJL's engine start does). They are started first here, so that
     * what remains to compare is what Gamma itself does.
     */
    @Test
    void loadingAndScoringLeaveSystemPropertiesUnchanged() throws Exception {
        ai.djl.engine.Engine.getEngine("PyTorch");
        java.util.TimeZone.getDefault();
        RgbImage.of(ImageIO.read(TestAssets.fixtures().resolve("images/scene0.png").toFile()));
        Map<Object, Object> before = new HashMap<>(System.getProperties());
        try (GammaScorer demo = DemoModel.load(RuntimeOptions.defaults());
             GammaScorer released = GammaScorer.load(TestAssets.fixture("micro-fp16").resolve("gamma.pth"), TestAssets.vocabulary())) {
            assertThat(demo.score(TestAssets.fixtures().resolve("images/scene0.png"), OPTIONS).score()).isBetween(0.0, 1.0);
            assertThat(released.score(TestAssets.fixtures().resolve("images/scene0.png"), OPTIONS).score()).isBetween(0.0, 1.0);
        }
        assertThat(new HashMap<>(System.getProperties())).isEqualTo(before);
    }

    @Test
    void pathBytesStreamAndImageInputsScoreAlike() throws Exception {
        Path png = TestAssets.fixtures().resolve("images/scene1.png");
        byte[] bytes = Files.readAllBytes(png);
        try (GammaScorer scorer = GammaScorer.load(TestAssets.fixture("micro-fp16").resolve("gamma.pth"), TestAssets.vocabulary())) {
            ScoreResult fromPath = scorer.score(png, OPTIONS);
            assertThat(scorer.score(bytes, OPTIONS)).isEqualTo(fromPath);
            assertThat(scorer.score(new ByteArrayInputStream(bytes), OPTIONS)).isEqualTo(fromPath);
            assertThat(scorer.score(ImageIO.read(png.toFile()), OPTIONS)).isEqualTo(fromPath);
            assertThat(fromPath.model()).isEqualTo("gamma.pth");
            assertThat(fromPath.modelSha256()).isEqualTo(ModelSource.digest(TestAssets.fixture("micro-fp16").resolve("gamma.pth")));
            assertThatThrownBy(() -> scorer.score(new byte[] {1, 2, 3}, OPTIONS)).hasMessageContaining("not a supported image format");
        }
    }

    @Test
    void bufferedImageColoursAreReadAsSrgbWithoutAlpha() throws Exception {
        RgbImage decoded = new ImageDecoder().decode(TestAssets.fixtures().resolve("images/scene2.png"));
        assertThat(RgbImage.of(decoded.toBufferedImage()).rgb()).isEqualTo(decoded.rgb());
        java.awt.image.BufferedImage argb = new java.awt.image.BufferedImage(2, 1, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00112233);
        argb.setRGB(1, 0, 0x80445566);
        assertThat(RgbImage.of(argb).rgb()).containsExactly(0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
    }

    @Test
    void theDemoModelIsReadFromAPrivateCopyCheckedByItsDigest() throws Exception {
        Path copy;
        String sha256;
        try (GammaScorer demo = DemoModel.load(RuntimeOptions.defaults())) {
            copy = demo.source().path();
            sha256 = demo.source().sha256();
            ScoreResult r = demo.score(TestAssets.fixtures().resolve("images/scene0.png"), OPTIONS);
            assertThat(r.model()).isEqualTo(DemoModel.NAME);
            assertThat(r.modelSha256()).isEqualTo(sha256);
        }
        try (var in = DemoModel.class.getResourceAsStream("/org/gammaiqa/demo/gamma-demo.safetensors")) {
            assertThat(sha256).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
        }
        assertThat(copy.getFileName().toString()).startsWith(DemoModel.NAME + "-").isNotEqualTo(DemoModel.NAME + ".safetensors");
        assertThat(Files.getPosixFilePermissions(copy)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        byte[] original = Files.readAllBytes(copy);
        byte[] tampered = original.clone();
        tampered[tampered.length - 1] ^= 1;
        Files.write(copy, tampered);
        try {
            assertThatThrownBy(() -> DemoModel.load(RuntimeOptions.defaults())).isInstanceOf(IOException.class)
                    .hasMessageContaining("SHA-256").hasMessageContaining("refusing");
        } finally {
            Files.write(copy, original);
        }
        try (GammaScorer again = DemoModel.load(RuntimeOptions.defaults())) {
            assertThat(again.source().path()).isEqualTo(copy);
        }
    }
}
