/**
 * The HTTP scoring service on Jetty 12: {@link org.gammaiqa.server.GammaServer} routes {@code POST /v1/score}
 * (a raw image body or a multipart form of several), the web page at {@code /}, health, readiness,
 * Prometheus metrics and the OpenAPI description; {@link org.gammaiqa.server.ServerConfig} holds its
 * limits. Slow and idle clients are bounded by a header deadline, an idle timeout, a connection cap and a
 * minimum body rate; bodies are read without holding a thread, decoded on the service's threads and scored
 * by the micro-batcher. Every request accepted gets exactly one answer, including during a graceful shutdown.
 */
package org.gammaiqa.server;
