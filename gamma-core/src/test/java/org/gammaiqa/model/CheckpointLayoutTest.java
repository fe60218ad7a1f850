package org.gammaiqa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gammaiqa.checkpoint.DType;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The architecture comes from keys and shapes alone: the reference's micro, tiny, mid and base layouts round-trip. */
class CheckpointLayoutTest {
    /** One zero buffer shared by every tensor of a synthetic state dict (the largest is ViT-B/16's token table). */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(49408 * 768 * 4);

    static GammaConfig config(int visionWidth, int textWidth, int layers, int moeLayers, int experts, int embed) {
        List<Integer> perLayer = new ArrayList<>(Collections.nCopies(layers - moeLayers, 0));
        perLayer.addAll(Collections.nCopies(moeLayers, experts));
        TransformerConfig v = new TransformerConfig(visionWidth, 4 * visionWidth, TransformerConfig.headsFor(visionWidth), perLayer);
        TransformerConfig t = new TransformerConfig(textWidth, 4 * textWidth, TransformerConfig.headsFor(textWidth), perLayer);
        return new GammaConfig(new VisionConfig(16, 224, v), new TextConfig(49408, 77, t), embed, embed / 2, 5);
    }

    /** The configurations of {@code shared/reference/make_fixture.py}. */
    static Stream<Arguments> referenceConfigs() {
        return Stream.of(
                Arguments.of("micro", config(64, 64, 2, 1, 2, 64)),
                Arguments.of("tiny", config(128, 128, 4, 2, 3, 512)),
                Arguments.of("mid", config(128, 128, 12, 6, 3, 512)),
                Arguments.of("base", config(768, 512, 12, 6, 3, 512)));
    }

    static StateDict synthetic(Map<String, long[]> shapes) {
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        shapes.forEach((k, s) -> tensors.put(k, new StoredTensor(DType.F32, s,
                ZEROS.duplicate().limit(Math.toIntExact(StoredTensor.numel(s) * 4)))));
        return new StateDict(tensors);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceConfigs")
    void derivesTheConfigurationItWasBuiltFrom(String name, GammaConfig config) throws Exception {
        StateDict sd = synthetic(CheckpointLayout.expectedShapes(config));
        assertThat(CheckpointLayout.derive(sd)).isEqualTo(config);
        CheckpointLayout.verify(sd, config);
    }

    @Test
    void baseHasThePublishedParameterCount() throws Exception {
        GammaConfig base = config(768, 512, 12, 6, 3, 512);
        ModelSummary s = ModelSummary.of(synthetic(CheckpointLayout.expectedShapes(base)));
        // docs/MODEL.md, "Size and cost": 272.7 M parameters (ViT-B/16 + text tower + experts)
        assertThat(s.total() / 1e6).isBetween(272.6, 272.8);
        assertThat(s.vision() + s.text() + s.head()).isEqualTo(s.total());
        assertThat(s.config().vision().transformer().expertLayers()).isEqualTo(6);
    }

    @Test
    void listsEveryMissingUnexpectedAndMisshapedKeyInOneMessage() {
        GammaConfig micro = config(64, 64, 2, 1, 2, 64);
        Map<String, long[]> shapes = new LinkedHashMap<>(CheckpointLayout.expectedShapes(micro));
        shapes.remove("clip_model.visual.ln_post.bias");
        shapes.remove("clip_model.transformer.resblocks.1.mlp.gating.layer1.bias");
        shapes.put("clip_model.visual.extra_head.weight", new long[] {3});
        shapes.put("clip_model.ln_final.weight", new long[] {65});
        assertThatThrownBy(() -> CheckpointLayout.verify(synthetic(shapes), micro))
                .isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining("2 missing keys: clip_model.visual.ln_post.bias, clip_model.transformer.resblocks.1.mlp.gating.layer1.bias")
                .hasMessageContaining("1 unexpected keys: clip_model.visual.extra_head.weight")
                .hasMessageContaining("clip_model.ln_final.weight is [65], expected [64]");
    }

    @Test
    void aPlainClipStateDictIsNotTakenForGamma() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("visual.conv1.weight", new long[] {64, 3, 16, 16});
        assertThatThrownBy(() -> CheckpointLayout.derive(synthetic(shapes)))
                .isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining("missing clip_model.visual.conv1.weight")
                .hasMessageContaining("is this a Gamma checkpoint");
    }
}
