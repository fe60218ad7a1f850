package org.gammaiqa.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** Name → replacement; a name ends with ';' except for the legacy ones that may stand without it. */
    private static final Map<String, String> NAMES = names();

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
        String whole = NAMES.get(ref);
        if (whole != null) {
            return whole;
        }
        // Only the legacy names may stand without ';': take the longest one that prefixes the reference.
        for (int end = ref.length() - 1; end > 1; end--) {
            String prefix = NAMES.get(ref.substring(0, end));
            if (prefix != null) {
                return prefix + ref.substring(end);
            }
        }
        return "&" + ref;
    }

    private static Map<String, String> names() {
        Map<String, String> names = new HashMap<>(4096);
        try (InputStream in = HtmlUnescape.class.getResourceAsStream("html5-entities.tsv")) {
            if (in == null) {
                throw new IllegalStateException("html5-entities.tsv is missing from gamma-core's jar");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = lines.readLine()) != null; ) {
                int tab = line.indexOf('\t');
                StringBuilder value = new StringBuilder(2);
                for (String cp : line.substring(tab + 1).split(" ")) {
                    value.appendCodePoint(Integer.parseInt(cp, 16));
                }
                names.put(line.substring(0, tab), value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read html5-entities.tsv from gamma-core's jar", e);
        }
        return names;
    }
}
