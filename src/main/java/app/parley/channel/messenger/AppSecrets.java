package app.parley.channel.messenger;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The connected apps' secrets, as every webhook POST needs them: read once and kept, so a POST costs the database
 * only its insert. Connecting or disconnecting a page here forgets them at once; another Parley process on the same
 * database sees its change within {@link #TTL_NANOS}.
 */
final class AppSecrets {
    private static final long TTL_NANOS = 10_000_000_000L;

    private record Known(List<String> secrets, long readAt) {}

    private final Jdbi jdbi;
    private volatile Known known;

    AppSecrets(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    List<String> get() {
        Known k = known;
        if (k == null || System.nanoTime() - k.readAt() > TTL_NANOS) {
            k = new Known(List.copyOf(jdbi.withHandle(Pages::appSecrets)), System.nanoTime());
            known = k;
        }
        return k.secrets();
    }

    void forget() {
        known = null;
    }
}
