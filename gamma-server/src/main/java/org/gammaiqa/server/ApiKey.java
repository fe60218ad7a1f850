package org.gammaiqa.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The API key a route may require in {@code X-API-Key}, compared in constant time. A request without it, or with
 * another, is answered 401. (Jetty's security module authenticates users against realms; a single shared key in a
 * header is this one comparison.)
 */
final class ApiKey {
    private final byte[] key;

    /** @param key the key, or null when the service requires none */
    ApiKey(String key) {
        this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** True when the request may go on; otherwise it has been answered 401. */
    boolean admits(Exchange ex) {
        if (key == null) {
            return true;
        }
        String given = ex.header(ServerConfig.API_KEY_HEADER);
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), key)) {
            return true;
        }
        ex.error(401, (given == null ? "missing" : "wrong") + " API key; send it in the " + ServerConfig.API_KEY_HEADER + " header");
        return false;
    }
}
