package org.gammaiqa.train.config;

import java.nio.file.Path;
import java.util.List;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.train.ScratchArchitecture;

/**
 * Where the network comes from ({@code network}, {@code path}): grown from a CLIP backbone or a random one, or a
 * Gamma checkpoint to fine-tune.
 *
 * @param backbone   plain CLIP state dict to grow MoAE from ({@code network.backbone}); unused with {@code pretrained}
 * @param scratch    random backbone of this architecture ({@code network.scratch}) instead of {@code network.backbone},
 *                   or null
 * @param pretrained Gamma checkpoint to start from ({@code path.pretrain_network_g}), or null
 * @param numExperts adaptive experts per MoAE block ({@code network.num_experts})
 * @param numFtLayer last blocks of each tower that get experts ({@code network.num_ft_layer})
 */
public record ModelConfig(Path backbone, ScratchArchitecture scratch, Path pretrained, int numExperts, int numFtLayer) {
    /** Reads {@code network} and {@code path}. */
    static ModelConfig parse(ConfigNode root, Path base, List<String> problems) {
        ConfigNode network = root.node("network");
        network.ignore("type", "model_type", "pretrained", "pos_embedding", "clip_finetune", "embedding_dim");
        int sample = network.integer("sample_size", ScoringProtocol.CROP_SIZE);
        if (sample != ScoringProtocol.CROP_SIZE) {
            network.problem("sample_size", "is " + sample + ", expected " + ScoringProtocol.CROP_SIZE
                    + " (the crop size of the released recipe)");
        }
        Path backbone = TrainConfig.path(base, network.string("backbone", null));
        int experts = network.integer("num_experts", 3);
        int ftLayers = network.integer("num_ft_layer", 6);
        ScratchArchitecture scratch = null;
        if (network.has("scratch")) {
            ConfigNode a = network.node("scratch");
            try {
                scratch = new ScratchArchitecture(a.integer("vision_width", 128), a.integer("vision_layers", 4),
                        a.integer("patch_size", 32), a.integer("text_width", 64), a.integer("text_layers", 2),
                        a.integer("context_length", 32), a.integer("embed_dim", 64));
            } catch (IllegalArgumentException e) {
                network.problem("scratch", e.getMessage());
            }
            a.finish();
            if (backbone != null) {
                network.problem("scratch", "is set together with network.backbone; expected one of them");
            }
        }
        network.finish();

        ConfigNode paths = root.node("path");
        paths.ignore("strict_load_g", "param_key_g");
        Path pretrained = TrainConfig.path(base, paths.string("pretrain_network_g", null));
        if (paths.has("resume_state")) {
            paths.problem("resume_state", "is set; resume a run with `gamma train --resume DIR` instead");
        }
        paths.finish();
        if (backbone == null && pretrained == null && !network.has("scratch")) {
            problems.add("network.backbone, network.scratch and path.pretrain_network_g are all empty; expected a CLIP "
                    + "state dict to grow MoAE from, an architecture to start from random weights, or a Gamma checkpoint "
                    + "to fine-tune");
        }
        return new ModelConfig(backbone, scratch, pretrained, experts, ftLayers);
    }
}
