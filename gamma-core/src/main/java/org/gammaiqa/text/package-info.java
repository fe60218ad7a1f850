/**
 * Text side of Gamma's input: the five level prompts a score is read against, chosen per {@link
 * org.gammaiqa.text.Scene} (generic, or one of the scene-based differential prompt sets) or read from a
 * {@link org.gammaiqa.text.PromptSet} file, and CLIP's byte-level BPE {@link org.gammaiqa.text.ClipTokenizer}
 * that turns them into the 77-token rows the text tower reads. The tokenizer reproduces the Python
 * reference id for id, including Python's {@code html.unescape}, {@code str.strip}/{@code lower} and the
 * {@code regex} module's Unicode classes (as far as the JDK's Unicode version agrees); nothing is read
 * from the network and the vocabulary file is supplied by the caller.
 */
package org.gammaiqa.text;
