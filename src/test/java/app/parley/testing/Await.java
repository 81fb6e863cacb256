package app.parley.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it gives a value: tests wait for what they expect, never for a fixed time. */
public final class Await {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private Await() {}

    /** The probe's first non-null value within 20 s, else an AssertionError that says what {@code why} says. */
    public static <T> T value(Supplier<T> probe, Supplier<String> why) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.get();
            if (v != null) return v;
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Not within " + LIMIT.toSeconds() + " s" + (why == null ? "" : ": " + why.get()));
    }

    public static <T> T value(Supplier<T> probe) {
        return value(probe, null);
    }
}
