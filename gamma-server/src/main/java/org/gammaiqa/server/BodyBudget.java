package org.gammaiqa.server;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Bytes of request bodies held at once, across all requests. Bodies are read without holding a thread, so without
 * this bound a thousand fast uploads could fill the heap; each request is charged its body's bytes as they are read,
 * and given them back once it is answered. A read that would pass the bound fails with 503 (the client is told to
 * retry) before more of the body is read. Jetty's SizeLimitHandler bounds one body; nothing stock bounds them together.
 */
final class BodyBudget extends Handler.Wrapper {
    static final String FULL = "the service is receiving more request bodies than it can hold at once; retry after the Retry-After delay";

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long capacity, Handler handler) {
        super(handler);
        this.capacity = capacity;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        AtomicLong taken = new AtomicLong();
        Request charged = new Request.Wrapper(request) {
            @Override
            public Content.Chunk read() {
                Content.Chunk chunk = super.read();
                if (chunk == null || Content.Chunk.isFailure(chunk)) {
                    return chunk;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                if (bytes.hasRemaining() && !take(bytes.remaining(), taken)) {
                    chunk.release();
                    return Content.Chunk.from(new HttpException.RuntimeException(503, FULL));
                }
                return chunk;
            }
        };
        return super.handle(charged, response, Callback.from(() -> used.addAndGet(-taken.getAndSet(0)), callback));
    }

    /** Takes {@code bytes} more for one request, or nothing and false when the budget would be passed. */
    private boolean take(long bytes, AtomicLong taken) {
        for (long u = used.get(); ; u = used.get()) {
            if (u + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                taken.addAndGet(bytes);
                return true;
            }
        }
    }
}
