package org.gammaiqa.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gammaiqa.checkpoint.DType;
import org.gammaiqa.model.GammaConfig;
import org.gammaiqa.model.ModelSummary;
import org.gammaiqa.model.TransformerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gamma inspect}: the architecture derived from a checkpoint, its parameter counts and dtypes. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print the architecture derived from a checkpoint, its parameter counts and dtypes.")
final class InspectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Gamma checkpoint (.pth or .safetensors).")
    Path model;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelSummary s = ModelSummary.of(model);
        GammaConfig c = s.config();
        var out = spec.commandLine().getOut();
        out.printf("checkpoint   %s%n", model);
        out.printf("vision       ViT patch %d, resolution %d, %s%n", c.vision().patchSize(), c.vision().resolution(),
                tower(c.vision().transformer()));
        out.printf("text         context %d, vocabulary %d, %s%n", c.text().contextLength(), c.text().vocabularySize(),
                tower(c.text().transformer()));
        out.printf("head         embed dim %d, adapter %d→%d→%d, %d quality levels%n", c.embedDim(), c.embedDim(),
                c.adapterHidden(), c.embedDim(), c.levels());
        out.printf("parameters   %,d total: vision %,d, text %,d, head %,d; adaptive experts (with routers, scales) %,d%n",
                s.total(), s.vision(), s.text(), s.head(), s.adaptiveExperts());
        StringBuilder types = new StringBuilder();
        for (Map.Entry<DType, Long> e : new java.util.TreeMap<>(s.parametersByType()).entrySet()) {
            types.append(types.length() == 0 ? "" : ", ").append(e.getKey().name().toLowerCase()).append(' ')
                    .append(String.format("%,d", e.getValue()));
        }
        out.printf("dtypes       %s%n", types);
        return 0;
    }

    private static String tower(TransformerConfig t) {
        StringBuilder experts = new StringBuilder();
        for (int i = 0; i < t.layers(); i++) {
            int k = t.expertsPerLayer().get(i);
            if (k > 0) {
                experts.append(experts.length() == 0 ? "" : ",").append(i);
            }
        }
        int k = t.expertsPerLayer().stream().mapToInt(Integer::intValue).max().orElse(0);
        return String.format("width %d, %d layers, %d heads, MLP %d; MoAE in %d blocks [%s] with %d adaptive experts",
                t.width(), t.layers(), t.heads(), t.hidden(), t.expertLayers(), experts, k);
    }
}
