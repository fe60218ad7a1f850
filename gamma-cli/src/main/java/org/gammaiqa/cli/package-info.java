/**
 * The {@code gamma} command line (picocli): {@code score} writes one CSV or JSON line per image
 * and keeps going past bad files; {@code inspect} prints what a checkpoint holds.
 */
package org.gammaiqa.cli;
