/**
 * Text side of Gamma's input: the five level prompts a score is read against, chosen per {@link
 * org.gammaiqa.text.Scene} (generic, or one of the scene-based differential prompt sets) or read from a
 * {@link org.gammaiqa.text.PromptSet} file, and the {@link org.gammaiqa.text.Tokenizer} that turns them into the fixed-length rows the text
 * tower reads: CLIP's byte-level BPE {@link org.gammaiqa.text.ClipTokenizer} (77 tokens), or, for small
 * towers trained from scratch such as the demo model, the file-free {@link org.gammaiqa.text.ByteTokenizer}. The CLIP tokenizer reproduces the Python
 * reference id for id, including Python's {@code html.unescape}, {@code str.strip}/{@code lower} and the
 * {@code regex} module's Unicode classes (as far as the JDK's Unicode version agrees); nothing is read
 * from the network and the vocabulary file is supplied by the caller.
 */
package org.gammaiqa.text;
