package org.gammaiqa.checkpoint;

/**
 * Text from an untrusted file made safe to print as one line of a terminal: control characters (C0, DEL, C1),
 * line and paragraph separators and bidirectional overrides become visible escapes ({@code \n}, {@code \x1b},
 * {@code \u202e}), so a name in a file can neither start a new line nor send an escape sequence; and the line is
 * cut at {@link #MAX_LENGTH} characters.
 */
public final class SafeText {
    /** Longest line kept, in characters. */
    public static final int MAX_LENGTH = 2000;

    private SafeText() {
    }

    /** {@code text} with every unsafe character escaped, cut to {@link #MAX_LENGTH} characters with an ellipsis. */
    public static String line(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
        int i = 0;
        for (; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f && c < 0xa0) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else if (c == 0x2028 || c == 0x2029 || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069
                            || c == 0x200e || c == 0x200f || c == 0x061c || Character.isSurrogate(c)
                            && !(Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (i < text.length() || out.length() > MAX_LENGTH) {
            out.setLength(MAX_LENGTH - 1);
            out.append('…');
        }
        return out.toString();
    }
}
