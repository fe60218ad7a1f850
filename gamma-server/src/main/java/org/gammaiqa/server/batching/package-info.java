/**
 * Micro-batching: images from concurrent requests wait in one bounded queue, and a single scoring
 * thread drains those that share scoring options into one {@code GammaScorer.score(list, options)}
 * call, so their crops share forward passes. A full queue refuses work at once instead of letting
 * latency grow without bound; a failure in a batch fails only the image that caused it.
 */
package org.gammaiqa.server.batching;
