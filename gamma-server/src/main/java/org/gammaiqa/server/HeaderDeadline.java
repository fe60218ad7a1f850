package org.gammaiqa.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose next request's headers are not complete within the header timeout, counted
 * from the connection's opening or from its previous answer: as a connection listener it arms the deadline,
 * as a handler it lifts it while a request is answered. Jetty's idle timeout (and its IdleTimeoutHandler)
 * restarts with every byte, so alone it would let a client that trickles one header byte at a time hold a
 * connection forever; no stock handler bounds the time to a request's headers.
 */
final class HeaderDeadline extends Handler.Wrapper implements Connection.Listener {
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

    HeaderDeadline(Scheduler scheduler, Duration timeout, Handler handler) {
        super(handler);
        this.scheduler = scheduler;
        this.timeoutMs = timeout.toMillis();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        requestStarted(connection);
        return super.handle(request, response, Callback.from(() -> requestFinished(connection), callback));
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
    private void requestStarted(Connection connection) {
        Watch w = watches.get(connection);
        if (w != null) {
            w.disarm();
        }
    }

    /** Its answer was written: the next request's headers must arrive within the timeout. */
    private void requestFinished(Connection connection) {
        Watch w = watches.get(connection);
        if (w != null) {
            w.arm();
        }
    }
}
