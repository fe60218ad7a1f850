package org.gammaiqa.scoring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes a stream of inputs on worker threads ahead of the network, at most {@code ahead} at a time, and hands the
 * results over in input order: the decoded images waiting in memory stay bounded whatever the stream's length.
 * Used by one thread; {@link #close} stops the workers and drops what is still being decoded.
 *
 * @param <I> what is decoded (a path, a sample)
 * @param <O> what decoding gives (an image, or an outcome holding one)
 */
public final class DecodeAhead<I, O> implements AutoCloseable {
    /** Turns one input into its decoded form; may fail. */
    @FunctionalInterface
    public interface Decode<I, O> {
        O apply(I input) throws IOException;
    }

    private final ExecutorService pool;
    private final Iterator<? extends I> inputs;
    private final Decode<? super I, ? extends O> decode;
    private final int ahead;
    private final Deque<Future<? extends O>> window = new ArrayDeque<>();

    /**
     * @param threadName name of the worker threads
     * @param threads    worker threads
     * @param ahead      most inputs being decoded or decoded and not yet taken
     */
    public DecodeAhead(String threadName, int threads, int ahead, Iterator<? extends I> inputs,
                       Decode<? super I, ? extends O> decode) {
        if (threads < 1 || ahead < 1) {
            throw new IllegalArgumentException("decode threads and look-ahead must be at least 1, got " + threads + " and " + ahead);
        }
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.inputs = inputs;
        this.decode = decode;
        this.ahead = ahead;
    }

    public boolean hasNext() {
        fill();
        return !window.isEmpty();
    }

    /**
     * The next input's decoded form, waiting for it.
     *
     * @throws IOException as decoding threw it ({@link InterruptedIOException} when this thread is interrupted)
     */
    public O next() throws IOException {
        fill();
        Future<? extends O> f = window.poll();
        if (f == null) {
            throw new NoSuchElementException("no input left to decode");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for decoding");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(cause));
        }
    }

    private void fill() {
        while (window.size() < ahead && inputs.hasNext()) {
            I input = inputs.next();
            window.add(pool.submit(() -> decode.apply(input)));
        }
    }

    @Override
    public void close() {
        window.forEach(f -> f.cancel(true));
        pool.shutdownNow();
    }
}
