package org.gammaiqa.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PromptSet validation and the five-line prompt file format. */
class PromptSetTest {
    private static final List<String> FIVE = List.of("bad photo", "poor photo", "fair photo", "good photo", "perfect photo");

    @Test
    void holdsAnImmutableCopyOfFivePrompts() {
        List<String> prompts = new ArrayList<>(FIVE);
        PromptSet set = new PromptSet("photo", prompts);
        prompts.set(0, "changed");
        assertThat(set.prompts()).isEqualTo(FIVE);
        assertThatThrownBy(() -> set.prompts().set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(PromptSet.LEVELS).containsExactly("bad", "poor", "fair", "good", "perfect");
    }

    @Test
    void rejectsAnythingButFiveNonBlankPrompts() {
        assertThatThrownBy(() -> new PromptSet("four", FIVE.subList(0, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'four' has prompts [bad photo, poor photo, fair photo, good photo]")
                .hasMessageContaining("exactly 5 non-blank prompts");
        assertThatThrownBy(() -> new PromptSet("blank", List.of("a", "b", " ", "d", "e")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[a, b,  , d, e]");
        assertThatThrownBy(() -> new PromptSet("nulls", Arrays.asList("a", null, "c", "d", "e")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[a, null, c, d, e]");
        assertThatThrownBy(() -> new PromptSet("none", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PromptSet(" ", FIVE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name is blank");
    }

    @Test
    void readsFiveLinesIgnoringTrailingBlankLinesAndBom(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("photo.txt"),
                "\uFEFFbad photo\r\npoor photo\r\nfair photo\ngood photo\nperfect photo\n\n  \n");
        PromptSet set = PromptSet.fromFile(file);
        assertThat(set.name()).isEqualTo("photo.txt");
        assertThat(set.prompts()).isEqualTo(FIVE);
    }

    @Test
    void wrongLineCountNamesTheFileAndCount(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("six.txt"), String.join("\n", FIVE) + "\nextra\n");
        assertThatThrownBy(() -> PromptSet.fromFile(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("has 6 non-trailing lines");
    }

    @Test
    void blankLineInsideNamesTheLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("gap.txt"), "a\nb\n\nd\ne\n");
        assertThatThrownBy(() -> PromptSet.fromFile(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("gap.txt has 5 non-trailing lines (line 3 is blank)");
    }
}
