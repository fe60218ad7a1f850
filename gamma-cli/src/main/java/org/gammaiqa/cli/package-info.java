/**
 * The {@code gamma} command line (picocli): {@code score} writes one CSV or JSON line per image
 * and keeps going past bad files, resuming an interrupted run and writing an HTML report on request;
 * {@code serve} runs the HTTP service of {@code gamma-server} until SIGTERM; {@code loadtest} hammers a
 * running service; {@code inspect} prints what a checkpoint holds.
 */
package org.gammaiqa.cli;
