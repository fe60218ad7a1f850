package org.gammaiqa.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose next request's headers are not complete within the header timeout, counted
 * from the connection's opening or from its previous answer. Jetty's idle timeout restarts with every
 * byte, so alone it would let a client that trickles one header byte at a time hold a connection forever.
 */
final class HeaderDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final long timeoutMs;
    private final Map<Connection, Watch> watches = new ConcurrentHashMap<>();

    /** One connection's state: armed (waiting for headers) or busy (a request is being answered). */
    private final class Watch {
        final Connection connection;
        long generation;
        boolean busy;
        Scheduler.Task pending;

        Watch(Connection connection) {
            this.connection = connection;
        }

        synchronized void arm() {
            busy = false;
            long armed = ++generation;
            pending = scheduler.schedule(() -> expire(armed), timeoutMs, TimeUnit.MILLISECONDS);
        }

        synchronized void disarm() {
            busy = true;
            generation++;
            if (pending != null) {
                pending.cancel();
            }
        }

        private void expire(long armed) {
            synchronized (this) {
                if (busy || armed != generation) {
                    return;
                }
            }
            connection.getEndPoint().close();
        }
    }

    HeaderDeadline(Scheduler scheduler, Duration timeout) {
        this.scheduler = scheduler;
        this.timeoutMs = timeout.toMillis();
    }

    @Override
    public void onOpened(Connection connection) {
        Watch w = new Watch(connection);
        watches.put(connection, w);
        w.arm();
    }

    @Override
    public void onClosed(Connection connection) {
        Watch w = watches.remove(connection);
        if (w != null) {
            w.disarm();
        }
    }

    /** A request's headers arrived on this connection: no deadline while it is answered. */
    void requestStarted(Connection connection) {
        Watch w = watches.get(connection);
        if (w != null) {
            w.disarm();
        }
    }

    /** Its answer was written: the next request's headers must arrive within the timeout. */
    void requestFinished(Connection connection) {
        Watch w = watches.get(connection);
        if (w != null) {
            w.arm();
        }
    }
}
