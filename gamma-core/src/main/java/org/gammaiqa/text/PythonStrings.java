package org.gammaiqa.text;

import java.util.regex.Pattern;

/**
 * The few Python {@code str} operations the CLIP tokenizer relies on, where Java's nearest
 * equivalents differ: {@code strip()}, {@code regex.sub(r"\s+", " ", …)} and {@code lower()}.
 */
final class PythonStrings {
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\p{IsWhite_Space}+");
    private static final int CAPITAL_SIGMA = 0x03A3;
    private static final int CAPITAL_I_WITH_DOT = 0x0130;

    private PythonStrings() {}

    /** {@code str.isspace()} for one code point: Unicode White_Space plus the separators U+001C–U+001F. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || cp == 0x85 || cp == 0xA0 || cp == 0x2007 || cp == 0x202F;
    }

    /** {@code str.strip()} (all of Python's whitespace characters lie in the BMP). */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** {@code regex.sub(r"\s+", " ", s)}: the regex module's {@code \s} is White_Space, narrower than isspace. */
    static String collapseWhitespace(String s) {
        return WHITESPACE_RUN.matcher(s).replaceAll(" ");
    }

    /**
     * {@code str.lower()}: simple lower-case mapping, 'İ' → "i̇", and Python's final-sigma rule, which
     * looks past case-ignorable characters rather than at word boundaries as Java's toLowerCase does.
     */
    static String lower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp == CAPITAL_SIGMA) {
                out.append(isFinalSigma(s, i) ? 'ς' : 'σ');
            } else if (cp == CAPITAL_I_WITH_DOT) {
                out.append("i\u0307");
            } else {
                out.appendCodePoint(Character.toLowerCase(cp));
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** Final_Sigma: a cased letter before (skipping case-ignorables), and none after (likewise). */
    private static boolean isFinalSigma(String s, int index) {
        int before = index;
        int cp = 0;
        while (before > 0) {
            cp = s.codePointBefore(before);
            before -= Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                break;
            }
        }
        if (index == 0 || isCaseIgnorable(cp) || !isCased(cp)) {
            return false;
        }
        for (int after = index + 1; after < s.length(); ) {
            cp = s.codePointAt(after);
            if (!isCaseIgnorable(cp)) {
                return !isCased(cp);
            }
            after += Character.charCount(cp);
        }
        return true;
    }

    private static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /** Unicode Case_Ignorable: marks, format characters, modifiers, and the word-internal punctuation. */
    private static boolean isCaseIgnorable(int cp) {
        switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT,
                    Character.MODIFIER_LETTER, Character.MODIFIER_SYMBOL:
                return true;
            default:
                return switch (cp) {
                    case '\'', '.', ':', 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
                            0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A -> true;
                    default -> false;
                };
        }
    }
}
