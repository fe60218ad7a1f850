package org.gammaiqa.text;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of image Gamma's scene prompts distinguish (Scene-based Differential Prompts), plus the
 * plain model's generic prompts; each expands a template over the five {@link PromptSet#LEVELS}.
 */
public enum Scene {
    /** The plain Gamma model's prompts, {@code "{level} image"}. */
    GENERIC("{level} image"),
    /** Natural photographs. */
    NATURAL("natural {level}-quality image"),
    /** AI-generated images. */
    AIGC("AI-generated {level}-quality image"),
    /** Underwater images. */
    UNDERWATER("underwater {level}-quality image"),
    /** Faces. */
    FACE("face {level}-quality image"),
    /** Aesthetics of natural images (not their technical quality). */
    AESTHETIC("natural {level}-aesthetics image");

    /**
     * The original's {@code get_text_prompt}: case-sensitive substrings, tried in this order (so a path
     * naming two datasets takes the first scene listed). Parity: "ava" matches anywhere, e.g. in "java".
     */
    private static final List<PathRule> PATH_RULES = List.of(
            new PathRule(NATURAL, List.of("koniq10k", "ChallengeDB_release", "kadid10k", "databaserelease2", "CSIQ", "spaq", "tid2013")),
            new PathRule(AIGC, List.of("agiqa3k")),
            new PathRule(UNDERWATER, List.of("UWIQA")),
            new PathRule(FACE, List.of("GFIQA-20k")),
            new PathRule(AESTHETIC, List.of("aadb", "ava")));

    private final String template;

    Scene(String template) {
        this.template = template;
    }

    /** The prompt template, with {@code {level}} where the level word goes. */
    public String template() {
        return template;
    }

    /** The lower-case name used on command lines and in configs, e.g. {@code aigc}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The five prompts, bad → perfect, in a set named {@link #id()}. */
    public PromptSet prompts() {
        return new PromptSet(id(), PromptSet.LEVELS.stream().map(level -> template.replace("{level}", level)).toList());
    }

    /** The scene named {@code name} ({@code generic}, {@code natural}, …; case is ignored). */
    public static Scene parse(String name) {
        for (Scene scene : values()) {
            if (scene.id().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return scene;
            }
        }
        throw new IllegalArgumentException("unknown scene '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Scene::id).collect(Collectors.joining(", ")));
    }

    /**
     * The scene the original training code infers from a dataset or image path, or empty where it would
     * fail. Only a fallback for upstream configs: the released non-SDP config's {@code AVA_dataset} root,
     * for one, matches nothing (the rule is case-sensitive), so choose the scene explicitly where possible.
     */
    public static Optional<Scene> fromDatasetPath(String path) {
        Objects.requireNonNull(path, "path");
        return PATH_RULES.stream()
                .filter(rule -> rule.keys().stream().anyMatch(path::contains))
                .map(PathRule::scene)
                .findFirst();
    }

    private record PathRule(Scene scene, List<String> keys) {}
}
