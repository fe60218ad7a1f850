package org.gammaiqa.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body (RFC 7578) already read into memory under the body-size limit,
 * split into its parts. Strict: a missing boundary, an unterminated part, oversized part headers or
 * too many parts are refused with a 400 that says which. Jetty's MultiPartFormData.Parser is not used: it
 * parses a body as it streams in and spools large parts to files, while here the body is already whole in
 * memory, charged to the body budget, and every refusal must name the part and say what to send.
 */
final class Multipart {
    /** One part: its form field name, file name (null for a plain field), content type (may be null) and bytes. */
    record Part(String name, String filename, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8).strip();
        }
    }

    private static final int MAX_HEADER_BYTES = 8192;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private Multipart() {}

    /** The boundary parameter of a {@code multipart/form-data} content type. */
    static String boundary(String contentType) throws ApiException {
        String b = parameters(contentType).get("boundary");
        if (b == null || b.isEmpty() || b.length() > 70) {
            throw new ApiException(400, "multipart/form-data content type '" + contentType + "' has no valid boundary"
                    + " parameter (1 to 70 characters); let the HTTP client build the form (curl -F)");
        }
        return b;
    }

    static List<Part> parse(byte[] body, String boundary, int maxParts) throws ApiException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new ApiException(400, "multipart body does not contain its boundary '" + boundary + "'");
        }
        List<Part> parts = new ArrayList<>();
        pos += delimiter.length;
        while (true) {
            if (startsWith(body, pos, new byte[] {'-', '-'})) {
                return parts;
            }
            if (!startsWith(body, pos, CRLF)) {
                throw new ApiException(400, "multipart boundary at byte " + pos + " is not followed by CRLF or '--'");
            }
            pos += 2;
            int headersEnd = indexOf(body, HEADER_END, pos);
            if (headersEnd < 0 || headersEnd - pos > MAX_HEADER_BYTES) {
                throw new ApiException(400, "multipart part " + (parts.size() + 1) + " has no end of headers within "
                        + MAX_HEADER_BYTES + " bytes");
            }
            Map<String, String> headers = headers(new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8));
            int start = headersEnd + HEADER_END.length;
            int end = indexOf(body, nextDelimiter, start);
            if (end < 0) {
                throw new ApiException(400, "multipart part " + (parts.size() + 1) + " is not closed by the boundary;"
                        + " the body is truncated");
            }
            if (parts.size() == maxParts) {
                throw new ApiException(413, "multipart body has more than " + maxParts + " parts; send fewer images per request");
            }
            Map<String, String> disposition = parameters(headers.getOrDefault("content-disposition", ""));
            String name = disposition.get("name");
            if (name == null) {
                throw new ApiException(400, "multipart part " + (parts.size() + 1)
                        + " has no Content-Disposition name; expected form-data; name=\"...\"");
            }
            byte[] content = new byte[end - start];
            System.arraycopy(body, start, content, 0, content.length);
            parts.add(new Part(name, disposition.get("filename"), headers.get("content-type"), content));
            pos = end + nextDelimiter.length;
        }
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : block.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    /** {@code type; a=1; b="two"} → {a=1, b=two}; names lower-cased, quotes and backslash escapes removed. */
    static Map<String, String> parameters(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            int eq = header.indexOf('=', i + 1);
            if (eq < 0) {
                break;
            }
            String key = header.substring(i + 1, eq).strip().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < header.length() && header.charAt(j) == ' ') {
                j++;
            }
            StringBuilder value = new StringBuilder();
            if (j < header.length() && header.charAt(j) == '"') {
                for (j++; j < header.length() && header.charAt(j) != '"'; j++) {
                    char c = header.charAt(j);
                    if (c == '\\' && j + 1 < header.length()) {
                        c = header.charAt(++j);
                    }
                    value.append(c);
                }
                i = header.indexOf(';', j);
            } else {
                int semi = header.indexOf(';', j);
                value.append(header, j, semi < 0 ? header.length() : semi);
                i = semi;
            }
            out.put(key, value.toString().strip());
        }
        return out;
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (at + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Knuth–Morris–Pratt search: linear in the body, whatever an attacker puts in it. */
    static int indexOf(byte[] haystack, byte[] needle, int from) {
        int[] fail = new int[needle.length];
        for (int i = 1, k = 0; i < needle.length; i++) {
            while (k > 0 && needle[i] != needle[k]) {
                k = fail[k - 1];
            }
            if (needle[i] == needle[k]) {
                k++;
            }
            fail[i] = k;
        }
        for (int i = Math.max(0, from), k = 0; i < haystack.length; i++) {
            while (k > 0 && haystack[i] != needle[k]) {
                k = fail[k - 1];
            }
            if (haystack[i] == needle[k]) {
                k++;
            }
            if (k == needle.length) {
                return i - needle.length + 1;
            }
        }
        return -1;
    }
}
