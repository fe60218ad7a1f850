/**
 * What the service counts, on the Prometheus Java client: requests by route and status and their duration, requests
 * in flight, queue depth, batch sizes and forward-pass durations, images, maps and windows scored, the build and the
 * model, and the JVM and process metrics, in the Prometheus text format.
 */
package org.gammaiqa.server.metrics;
