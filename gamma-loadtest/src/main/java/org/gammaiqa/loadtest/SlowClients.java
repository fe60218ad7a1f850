package org.gammaiqa.loadtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Connections that never finish a request: some send a request's headers one byte every 100 ms, others send
 * complete headers and then the body one byte every 100 ms. One thread drives them all, and notes when the
 * service closed each (a service that holds them forever can be stopped by anyone on the network).
 */
public final class SlowClients implements AutoCloseable {
    private static final long TICK_MS = 100;

    /**
     * @param headerCloseMs when the service closed each slow-header connection, in ms after it opened (0: still open)
     * @param bodyCloseMs   the same for the slow-body connections
     */
    public record Report(long[] headerCloseMs, long[] bodyCloseMs) {
        public long stillOpen() {
            return Arrays.stream(headerCloseMs).filter(t -> t == 0).count() + Arrays.stream(bodyCloseMs).filter(t -> t == 0).count();
        }

        public String format() {
            return String.format("slow clients: %s; %s%n", describe(headerCloseMs, "trickling headers"), describe(bodyCloseMs, "trickling a body"));
        }

        private static String describe(long[] closedMs, String what) {
            long[] closed = Arrays.stream(closedMs).filter(t -> t > 0).sorted().toArray();
            return closedMs.length + " " + what + ", " + closed.length + " closed by the service"
                    + (closed.length == 0 ? "" : String.format(" after %.1f–%.1f s", closed[0] / 1e3, closed[closed.length - 1] / 1e3));
        }
    }

    private final List<SocketChannel> channels = new ArrayList<>();
    private final long[] closedMs;
    private final int headerClients;
    private final long opened = System.nanoTime();
    private final Thread driver;
    private volatile boolean stopping;

    private SlowClients(URI base, int headerClients, int bodyClients) throws IOException {
        this.headerClients = headerClients;
        int count = headerClients + bodyClients;
        closedMs = new long[count];
        String host = base.getHost();
        int port = base.getPort() < 0 ? 80 : base.getPort();
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress(host, port));
                c.configureBlocking(false);
                String request = "POST /v1/score HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: image/png\r\n"
                        + (i < headerClients ? "" : "Content-Length: 1000000\r\n\r\n");
                c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                channels.add(c);
            }
        } catch (IOException e) {
            close();
            throw new IOException("could not open " + count + " slow connections to " + base + " (" + channels.size() + " opened): " + e, e);
        }
        driver = new Thread(this::drive, "gamma-slow-clients");
        driver.setDaemon(true);
        driver.start();
    }

    /** Opens slow connections to the service at {@code base}, trickling headers or a body, and starts trickling. */
    public static SlowClients open(URI base, int headerClients, int bodyClients) throws IOException {
        return new SlowClients(base, headerClients, bodyClients);
    }

    /** How many of the connections the service has not closed yet. */
    public int stillOpen() {
        synchronized (closedMs) {
            return (int) Arrays.stream(closedMs).filter(t -> t == 0).count();
        }
    }

    private void drive() {
        ByteBuffer sink = ByteBuffer.allocate(8192);
        while (true) {
            int open = 0;
            for (int i = 0; i < channels.size(); i++) {
                if (closedMs[i] > 0) {
                    continue;
                }
                boolean closed;
                try {
                    sink.clear();
                    closed = channels.get(i).read(sink) < 0;
                    if (!closed) {
                        channels.get(i).write(ByteBuffer.wrap(new byte[] {'x'}));
                    }
                } catch (IOException e) {
                    closed = true;
                }
                if (closed) {
                    synchronized (closedMs) {
                        closedMs[i] = Math.max(1, (System.nanoTime() - opened) / 1_000_000);
                    }
                } else {
                    open++;
                }
            }
            if (open == 0 || stopping) {
                return;
            }
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Keeps trickling until the service has closed every connection or {@code maxWaitMs} passed, then reports. */
    public Report finish(long maxWaitMs) throws InterruptedException {
        driver.join(maxWaitMs);
        stopping = true;
        driver.join();
        long[] all = closedMs.clone();
        return new Report(Arrays.copyOfRange(all, 0, headerClients), Arrays.copyOfRange(all, headerClients, all.length));
    }

    @Override
    public void close() {
        stopping = true;
        for (SocketChannel c : channels) {
            try {
                c.close();
            } catch (IOException e) {
                // closing our end of a connection the service may already have closed
            }
        }
    }
}
