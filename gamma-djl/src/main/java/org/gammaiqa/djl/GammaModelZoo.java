package org.gammaiqa.djl;

import ai.djl.repository.zoo.ModelZoo;
import java.util.Set;

/** The model zoo of group {@code org.gammaiqa}: one model, {@code gamma}, on the PyTorch engine. */
public final class GammaModelZoo extends ModelZoo {
    /** The zoo's group id, for {@code Criteria.Builder.optGroupId}. */
    public static final String GROUP_ID = "org.gammaiqa";

    /** Creates the zoo with its one loader. */
    public GammaModelZoo() {
        addModel(new GammaModelLoader());
    }

    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }
}
