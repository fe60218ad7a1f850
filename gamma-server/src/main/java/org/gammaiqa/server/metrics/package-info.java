/**
 * What the service counts, exposed in the Prometheus text format: responses by route and status,
 * request latency, queue depth, batch sizes and images scored. Lock-free counters, safe to update
 * from any thread.
 */
package org.gammaiqa.server.metrics;
