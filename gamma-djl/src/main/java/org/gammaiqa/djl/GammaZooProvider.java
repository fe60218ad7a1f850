package org.gammaiqa.djl;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/** Registers {@link GammaModelZoo} with DJL (through {@code META-INF/services}). */
public final class GammaZooProvider implements ZooProvider {
    /** Creates the provider; DJL's service loader calls this. */
    public GammaZooProvider() {}

    @Override
    public ModelZoo getModelZoo() {
        return new GammaModelZoo();
    }
}
