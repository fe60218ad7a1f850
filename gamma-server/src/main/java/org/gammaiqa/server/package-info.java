/**
 * The HTTP scoring service on the JDK's built-in server: {@link org.gammaiqa.server.GammaServer}
 * routes {@code POST /v1/score} (a raw image body or a multipart form of several), health, readiness,
 * Prometheus metrics and the OpenAPI description; {@link org.gammaiqa.server.ServerConfig} holds its
 * limits. Requests are decoded on the HTTP threads and scored by the micro-batcher; every request
 * accepted gets exactly one answer, including during a graceful shutdown.
 */
package org.gammaiqa.server;
