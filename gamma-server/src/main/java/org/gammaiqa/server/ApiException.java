package org.gammaiqa.server;

/** A request the service refuses: the HTTP status and a message that says what was wrong and what to send. */
final class ApiException extends Exception {
    final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }
}
