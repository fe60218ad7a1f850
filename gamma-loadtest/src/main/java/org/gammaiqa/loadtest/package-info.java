/**
 * A load test for a running service: concurrent clients send a mix of valid images and bad inputs
 * (truncated JPEGs, empty bodies, malformed forms, pixel bombs, wrong content types) while slow clients
 * trickle headers and bodies, and the report counts lost answers, statuses, latency percentiles,
 * throughput against one-at-a-time requests, health during the load and when the slow clients were closed.
 */
package org.gammaiqa.loadtest;
