/**
 * A load test for a running service: concurrent clients send a mix of valid images and bad inputs
 * (truncated JPEGs, empty bodies, pixel bombs, wrong content types) and the report counts lost
 * answers, statuses, latency percentiles and throughput against one-at-a-time requests.
 */
package org.gammaiqa.server.loadtest;
