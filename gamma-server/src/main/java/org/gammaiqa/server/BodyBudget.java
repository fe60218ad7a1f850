package org.gammaiqa.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies held at once, across all requests. Bodies are read without holding a thread,
 * so without this bound a thousand fast uploads could fill the heap; a body that would pass it is refused
 * (503 with Retry-After) before more of it is read.
 */
final class BodyBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    /** One request's share: what it took, given back at once when its answer has been written. */
    final class Lease implements AutoCloseable {
        private final AtomicLong taken = new AtomicLong();

        /** Takes {@code bytes} more, or nothing and false when the budget would be passed. */
        boolean take(long bytes) {
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

        @Override
        public void close() {
            used.addAndGet(-taken.getAndSet(0));
        }
    }

    Lease lease() {
        return new Lease();
    }
}
