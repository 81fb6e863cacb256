package app.parley.http;

/** A token bucket: {@code perSecond} on average, bursts up to {@code burst}. */
final class RateLimit {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    RateLimit(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    synchronized boolean hasToken() {
        refill();
        return tokens >= 1;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
        last = now;
    }

    synchronized boolean take() {
        refill();
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
