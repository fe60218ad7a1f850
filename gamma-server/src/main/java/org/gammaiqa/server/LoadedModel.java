package org.gammaiqa.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.server.batching.MicroBatcher;

/** The model being served, its scoring queue, and how answers name it ({@code {"name", "sha256"}}). */
record LoadedModel(GammaScorer scorer, MicroBatcher batcher, ObjectNode description) {}
