package org.gammaiqa.text;

import org.gammaiqa.testing.TestAssets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Scene prompts as the original spells them, name parsing, and the original's dataset-path rule. */
class SceneTest {
    @Test
    void promptsExpandTheTemplateOverTheFiveLevels() {
        assertThat(Scene.GENERIC.prompts().prompts())
                .containsExactly("bad image", "poor image", "fair image", "good image", "perfect image");
        assertThat(Scene.AIGC.prompts().prompts()).containsExactly("AI-generated bad-quality image",
                "AI-generated poor-quality image", "AI-generated fair-quality image",
                "AI-generated good-quality image", "AI-generated perfect-quality image");
        assertThat(Scene.AESTHETIC.prompts().prompts()).first().isEqualTo("natural bad-aesthetics image");
        assertThat(Scene.UNDERWATER.prompts().prompts()).last().isEqualTo("underwater perfect-quality image");
        assertThat(Scene.FACE.prompts().name()).isEqualTo("face");
    }

    @Test
    void everySceneIsCoveredByTheTokenizerParityCases() throws IOException {
        Set<String> texts = new HashSet<>();
        SharedFiles.tokenizerCases().get("encode").forEach(c -> texts.add(c.get("text").asText()));
        for (Scene scene : Scene.values()) {
            assertThat(texts).as("parity cases for %s", scene).containsAll(scene.prompts().prompts());
        }
    }

    @Test
    void parseAcceptsTheLowerCaseNames() {
        for (Scene scene : Scene.values()) {
            assertThat(Scene.parse(scene.id())).isEqualTo(scene);
        }
        assertThat(Scene.parse("aigc")).isEqualTo(Scene.AIGC);
        assertThat(Scene.parse(" Underwater ")).isEqualTo(Scene.UNDERWATER);
    }

    @Test
    void parseListsTheValidNames() {
        assertThatThrownBy(() -> Scene.parse("medical"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'medical'")
                .hasMessageContaining("generic, natural, aigc, underwater, face, aesthetic");
        assertThatThrownBy(() -> Scene.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Dataset {@code name:} in the released configs → the scene its prompts use. */
    private static final Map<String, Scene> CONFIG_DATASETS = Map.ofEntries(
            Map.entry("KonIQ10k", Scene.NATURAL), Map.entry("LIVEC", Scene.NATURAL), Map.entry("KADID10k", Scene.NATURAL),
            Map.entry("LIVE", Scene.NATURAL), Map.entry("CSIQ", Scene.NATURAL), Map.entry("SPAQ", Scene.NATURAL),
            Map.entry("TID2013", Scene.NATURAL), Map.entry("AGIQA3K", Scene.AIGC), Map.entry("UWIQA", Scene.UNDERWATER),
            Map.entry("GFIQA", Scene.FACE), Map.entry("AADB", Scene.AESTHETIC), Map.entry("AVA", Scene.AESTHETIC));

    @Test
    void releasedConfigPathsMapAsInTheOriginal() throws IOException {
        Pattern entry = Pattern.compile("^\\s+(name|dataroot_target|dataroot_ref):\\s*(\\S+)");
        List<Path> configs;
        try (Stream<Path> files = Files.list(TestAssets.shared("upstream-configs"))) {
            configs = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(configs).extracting(f -> f.getFileName().toString())
                .contains("koniq.yml", "unified_train.yml", "unified_train_SDP.yml");
        List<String> checked = new ArrayList<>();
        for (Path config : configs) {
            String dataset = null;
            for (String line : Files.readAllLines(config)) {
                Matcher m = entry.matcher(line);
                if (!m.find()) {
                    continue;
                }
                if (m.group(1).equals("name")) {
                    dataset = m.group(2);
                    continue;
                }
                String path = m.group(2);
                Scene expected = CONFIG_DATASETS.get(dataset);
                assertThat(expected).as("dataset %s in %s", dataset, config).isNotNull();
                // Parity: the non-SDP config's "AVA_dataset" root has no lower-case "ava"; the original
                // would reject it, which never mattered because that config uses the generic prompts.
                Optional<Scene> want = path.contains("AVA_dataset") ? Optional.empty() : Optional.of(expected);
                assertThat(Scene.fromDatasetPath(path)).as("%s (%s, %s)", path, dataset, config.getFileName()).isEqualTo(want);
                checked.add(path);
            }
        }
        assertThat(checked).hasSizeGreaterThan(40);
    }

    @Test
    void pathRuleIsCaseSensitiveOrderedAndMatchesSubstrings() {
        assertThat(Scene.fromDatasetPath("/data/ava/koniq10k/1.jpg")).contains(Scene.NATURAL);
        assertThat(Scene.fromDatasetPath("/data/UWIQA/agiqa3k/1.jpg")).contains(Scene.AIGC);
        assertThat(Scene.fromDatasetPath("/data/GFIQA-20k/aadb/1.jpg")).contains(Scene.FACE);
        assertThat(Scene.fromDatasetPath("/home/me/java/photos/1.jpg")).contains(Scene.AESTHETIC);
        assertThat(Scene.fromDatasetPath("/data/KONIQ10K/1.jpg")).isEmpty();
        assertThat(Scene.fromDatasetPath("/data/csiq/1.png")).isEmpty();
        assertThat(Scene.fromDatasetPath("/data/pipal/1.png")).isEmpty();
    }

    @Test
    void templatesHoldTheLevelPlaceholder() {
        for (Scene scene : Scene.values()) {
            assertThat(scene.template()).contains("{level}");
            assertThat(scene.prompts().prompts()).noneMatch(p -> p.contains("{"));
        }
    }
}
