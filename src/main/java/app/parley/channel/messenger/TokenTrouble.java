package app.parley.channel.messenger;

import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph error 190 on a page's token (expired, password changed, app removed): the page is marked for reconnecting,
 * which the channel's settings and every Messenger conversation show, and the admins are told once (not on every
 * reply that fails after).
 */
final class TokenTrouble {
    private static final Logger log = LoggerFactory.getLogger(TokenTrouble.class);

    private final Jdbi jdbi;
    private final Supplier<String> baseUrl;
    private final Runnable wake;

    TokenTrouble(Jdbi jdbi, Supplier<String> baseUrl, Runnable wake) {
        this.jdbi = jdbi;
        this.baseUrl = baseUrl;
        this.wake = wake;
    }

    void invalid(String pageId, GraphError error) {
        // The flip and the notices commit together: "told once" holds across crashes and across Parley processes.
        int told = jdbi.inTransaction(h -> Pages.needsReconnect(h, pageId, error.explained())
                ? ReconnectNotice.queue(h, pageId, error.explained(), baseUrl) : -1);
        if (told < 0) return;
        log.warn("Messenger page {}: its access token is no longer valid (Graph error {}); an admin must reconnect it ({} admins told by mail)",
                pageId, error.code(), told);
        wake.run();
    }
}
