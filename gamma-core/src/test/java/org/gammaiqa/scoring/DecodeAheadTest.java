package org.gammaiqa.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DecodeAheadTest {
    @Test
    void handsResultsOverInInputOrderWhateverOrderTheyFinishIn() throws Exception {
        List<Integer> inputs = IntStream.range(0, 40).boxed().toList();
        List<Integer> out = new ArrayList<>();
        try (DecodeAhead<Integer, Integer> d = new DecodeAhead<>("test-decode", 4, 8, inputs.iterator(), i -> {
            try {
                Thread.sleep((i * 7) % 5);   // later inputs often finish first
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return i * 10;
        })) {
            while (d.hasNext()) {
                out.add(d.next());
            }
        }
        assertThat(out).containsExactlyElementsOf(inputs.stream().map(i -> i * 10).toList());
    }

    @Test
    void neverHasMoreThanItsLookAheadInFlight() throws Exception {
        AtomicInteger started = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (DecodeAhead<Integer, Integer> d = new DecodeAhead<>("test-decode", 8, 3, IntStream.range(0, 100).iterator(), i -> {
            started.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return i;
        })) {
            assertThat(d.hasNext()).isTrue();
            Thread.sleep(200);
            assertThat(started.get()).isEqualTo(3);
            release.countDown();
            assertThat(d.next()).isZero();
            assertThat(d.next()).isEqualTo(1);
        }
    }

    @Test
    void aFailedInputThrowsItsOwnExceptionAndTheRestGoOn() throws Exception {
        try (DecodeAhead<Integer, Integer> d = new DecodeAhead<>("test-decode", 2, 4, List.of(1, 2, 3).iterator(), i -> {
            if (i == 2) {
                throw new IOException("input 2 is corrupt");
            }
            return i;
        })) {
            assertThat(d.next()).isEqualTo(1);
            assertThatThrownBy(d::next).isInstanceOf(IOException.class).hasMessage("input 2 is corrupt");
            assertThat(d.next()).isEqualTo(3);
            assertThat(d.hasNext()).isFalse();
        }
    }

    @Test
    void refusesANonPositiveLookAhead() {
        assertThatThrownBy(() -> new DecodeAhead<Integer, Integer>("test-decode", 1, 0, List.of(1).iterator(), i -> i))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
