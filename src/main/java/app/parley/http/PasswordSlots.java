package app.parley.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the password hashes running at once: each Argon2 takes 64 MiB (account/Passwords), so a burst of
 * sign-ins could otherwise exhaust the heap. Past the bound a request is told to come back at once, never queued.
 */
final class PasswordSlots {
    private final Semaphore slots;

    PasswordSlots(int slots) {
        this.slots = new Semaphore(Math.max(1, slots));
    }

    /** A slot to hash in, released by {@code close}; a 429 when all are taken. */
    Slot enter() {
        try {
            // A short wait smooths two sign-ins that meet; a burst beyond it is refused rather than queued.
            if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) throw new Throttle.RetryLater(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Throttle.RetryLater(1);
        }
        return slots::release;
    }

    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
