package org.gammaiqa.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's byte-level BPE tokenizer ({@code clip/simple_tokenizer.py}, as in {@code gamma_ref.Tokenizer}):
 * text is cleaned, split by CLIP's regex, mapped byte-wise to symbols and merged by rank. Immutable, thread-safe.
 */
public final class ClipTokenizer implements Tokenizer {
    private static final String START = "<|startoftext|>";
    private static final String END = "<|endoftext|>";
    private static final String END_OF_WORD = "</w>";
    /** CLIP uses the first 49152 − 256 − 2 merges of its file, giving 49408 ids. */
    private static final int MERGES = 49152 - 256 - 2;
    /**
     * Parity: Python's regex module, under IGNORECASE, lets no branch match U+0345 (its case variant ι is a
     * letter, yet it is not one), so the original drops it; the last class excludes it for the same result.
     */
    private static final Pattern SPLIT = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^\\p{IsWhite_Space}\\p{L}\\p{N}\\u0345]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final char[] BYTE_SYMBOLS = byteSymbols();

    private final Map<String, Integer> ids;
    private final Map<String, Integer> mergeRanks;
    private final int startToken;
    private final int endToken;

    private ClipTokenizer(List<String> symbols, Map<String, Integer> mergeRanks) {
        Map<String, Integer> ids = new HashMap<>(symbols.size() * 2);
        for (int i = 0; i < symbols.size(); i++) {
            ids.put(symbols.get(i), i);
        }
        this.ids = Map.copyOf(ids);
        this.mergeRanks = Map.copyOf(mergeRanks);
        this.startToken = ids.get(START);
        this.endToken = ids.get(END);
    }

    /** Reads CLIP's {@code bpe_simple_vocab_16e6.txt.gz}; fails naming the file if it is absent or not that vocabulary. */
    public static ClipTokenizer load(Path vocabGz) throws IOException {
        if (!Files.isRegularFile(vocabGz)) {
            throw new NoSuchFileException(vocabGz.toString(), null,
                    "CLIP BPE vocabulary not found; expected bpe_simple_vocab_16e6.txt.gz from the CLIP repository (clip/)");
        }
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(vocabGz))) {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(in.readAllBytes())).toString();
        } catch (CharacterCodingException e) {
            throw notClipVocabulary(vocabGz, "its content is not UTF-8 text", e);
        } catch (IOException e) {
            throw notClipVocabulary(vocabGz, "it is not a readable gzip file (" + e.getMessage() + ")", e);
        }
        String[] lines = text.split("\n", -1);
        if (!lines[0].contains("#version") || lines.length < MERGES + 1) {
            throw notClipVocabulary(vocabGz, "expected a '#version' header and at least " + MERGES
                    + " merge lines, found header '" + abbreviate(lines[0]) + "' and " + (lines.length - 1) + " lines", null);
        }
        // Ids follow the byte table's insertion order (printable bytes, then the rest), i.e. symbol order.
        char[] byteSymbols = BYTE_SYMBOLS.clone();
        Arrays.sort(byteSymbols);
        List<String> symbols = new ArrayList<>(2 * 256 + MERGES + 2);
        for (char c : byteSymbols) {
            symbols.add(String.valueOf(c));
        }
        for (char c : byteSymbols) {
            symbols.add(c + END_OF_WORD);
        }
        Set<String> known = new HashSet<>(symbols);
        Map<String, Integer> ranks = new HashMap<>(MERGES * 2);
        for (int rank = 0; rank < MERGES; rank++) {
            String line = lines[rank + 1];
            String[] pair = line.strip().split("\\s+");
            if (pair.length != 2 || !known.contains(pair[0]) || !known.contains(pair[1])) {
                throw notClipVocabulary(vocabGz, "line " + (rank + 2) + " '" + abbreviate(line)
                        + "' is not a merge of two symbols defined before it", null);
            }
            String merged = pair[0] + pair[1];
            symbols.add(merged);
            known.add(merged);
            ranks.put(pair[0] + ' ' + pair[1], rank);
        }
        symbols.add(START);
        symbols.add(END);
        return new ClipTokenizer(symbols, ranks);
    }

    /** Token ids of {@code text}, without start and end tokens. */
    public int[] encode(String text) {
        return encodeToList(text).stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * {@code [start, tokens…, end]}, zero-padded to {@code contextLength}.
     *
     * @throws IllegalArgumentException if the ids do not fit; nothing is cut
     */
    @Override
    public int[] tokenize(String text, int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length " + contextLength
                    + " cannot hold the start and end tokens; expected at least 2 (CLIP uses 77)");
        }
        List<Integer> tokens = encodeToList(text);
        if (tokens.size() + 2 > contextLength) {
            throw new IllegalArgumentException("text has " + (tokens.size() + 2)
                    + " tokens with start and end, more than the context length " + contextLength
                    + ": \"" + abbreviate(text) + "\"; shorten it (the model cannot read more)");
        }
        int[] row = new int[contextLength];
        row[0] = startToken;
        for (int i = 0; i < tokens.size(); i++) {
            row[i + 1] = tokens.get(i);
        }
        row[tokens.size() + 1] = endToken;
        return row;
    }

    /** Number of ids (49408 for CLIP's vocabulary). */
    @Override
    public int vocabularySize() {
        return ids.size();
    }

    /** Id of CLIP's start-of-text token. */
    public int startToken() {
        return startToken;
    }

    /** Id of CLIP's end-of-text token. */
    public int endToken() {
        return endToken;
    }

    private List<Integer> encodeToList(String text) {
        requireWellFormed(text);
        String clean = PythonStrings.strip(HtmlUnescape.unescape(HtmlUnescape.unescape(text)));
        clean = PythonStrings.lower(PythonStrings.strip(PythonStrings.collapseWhitespace(clean)));
        List<Integer> out = new ArrayList<>();
        Matcher pieces = SPLIT.matcher(clean);
        while (pieces.find()) {
            String piece = pieces.group();
            if (piece.equals(START) || piece.equals(END)) {
                out.add(ids.get(piece));
                continue;
            }
            byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
            char[] mapped = new char[utf8.length];
            for (int i = 0; i < utf8.length; i++) {
                mapped[i] = BYTE_SYMBOLS[utf8[i] & 0xFF];
            }
            for (String symbol : bpe(mapped)) {
                out.add(ids.get(symbol));
            }
        }
        return out;
    }

    /** Repeatedly merges every occurrence of the lowest-ranked adjacent pair, left to right. */
    private List<String> bpe(char[] token) {
        List<String> word = new ArrayList<>(token.length);
        for (int i = 0; i < token.length - 1; i++) {
            word.add(String.valueOf(token[i]));
        }
        word.add(token[token.length - 1] + END_OF_WORD);
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            int best = -1;
            for (int i = 0; i < word.size() - 1; i++) {
                Integer rank = mergeRanks.get(word.get(i) + ' ' + word.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            String first = word.get(best);
            String second = word.get(best + 1);
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) {
                if (i < word.size() - 1 && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        return word;
    }

    /** Python cannot UTF-8-encode a lone surrogate (UnicodeEncodeError); refuse it rather than write '?'. */
    private static void requireWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format(
                        "text has an unpaired surrogate U+%04X at index %d: \"%s\"; pass well-formed UTF-16",
                        (int) c, i, abbreviate(text)));
            }
        }
    }

    /** GPT-2's byte → printable-character table: printable Latin-1 bytes keep their code, the rest get 256+. */
    private static char[] byteSymbols() {
        char[] table = new char[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = (char) (printable ? b : 256 + extra++);
        }
        return table;
    }

    private static IOException notClipVocabulary(Path file, String problem, Exception cause) {
        return new IOException(file + " is not CLIP's BPE vocabulary: " + problem
                + "; use bpe_simple_vocab_16e6.txt.gz from the CLIP repository", cause);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "… (" + s.length() + " chars)";
    }
}
