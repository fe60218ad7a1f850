package org.gammaiqa.text;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Entities;

/**
 * Python's {@code html.unescape}: numeric and HTML5 named character references, with the same
 * repairs (cp1252 for 0x80–0x9F, U+FFFD for surrogates and out-of-range numbers, removal of
 * control and non-character code points) and the same longest-prefix rule for legacy names.
 */
final class HtmlUnescape {
    private static final Pattern CHARREF =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final Charset CP1252 = Charset.forName("windows-1252");
    private static final String REPLACEMENT = "\uFFFD";

    private HtmlUnescape() {}

    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = CHARREF.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        while (m.find()) {
            out.append(s, last, m.start()).append(replace(m.group(1)));
            last = m.end();
        }
        return out.append(s, last, s.length()).toString();
    }

    private static String replace(String ref) {
        if (ref.charAt(0) == '#') {
            boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
            String digits = ref.substring(hex ? 2 : 1, ref.length() - (ref.endsWith(";") ? 1 : 0));
            return numeric(new BigInteger(digits, hex ? 16 : 10));
        }
        return named(ref);
    }

    private static String numeric(BigInteger value) {
        if (value.bitLength() > 31 || value.intValue() > Character.MAX_CODE_POINT) {
            return REPLACEMENT;
        }
        int cp = value.intValue();
        if (cp == 0) {
            return REPLACEMENT;
        }
        if (cp == 0x0D) {
            return "\r";
        }
        if (cp >= 0x80 && cp <= 0x9F) {
            // Parity: the HTML5 table maps these to windows-1252; its five undefined bytes map to themselves.
            String decoded = CP1252.decode(ByteBuffer.wrap(new byte[] {(byte) cp})).toString();
            return decoded.equals(REPLACEMENT) ? String.valueOf((char) cp) : decoded;
        }
        if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
            return REPLACEMENT;
        }
        return isControlOrNonCharacter(cp) ? "" : Character.toString(cp);
    }

    /** The code points that html.unescape drops: C0/C1 controls other than whitespace, and non-characters. */
    private static boolean isControlOrNonCharacter(int cp) {
        return (cp >= 0x01 && cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F)
                || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }

    private static String named(String ref) {
        if (ref.endsWith(";")) {
            String name = ref.substring(0, ref.length() - 1);
            if (Entities.isNamedEntity(name)) {
                return Entities.getByName(name);
            }
        } else if (Entities.isBaseNamedEntity(ref)) {
            return Entities.getByName(ref);
        }
        // Only the legacy names may stand without ';': take the longest one that prefixes the reference.
        for (int end = ref.length() - 1; end > 1; end--) {
            String prefix = ref.substring(0, end);
            if (Entities.isBaseNamedEntity(prefix)) {
                return Entities.getByName(prefix) + ref.substring(end);
            }
        }
        return "&" + ref;
    }
}
