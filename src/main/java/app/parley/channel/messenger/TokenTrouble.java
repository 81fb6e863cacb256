package app.parley.channel.messenger;

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

    TokenTrouble(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void invalid(String pageId, GraphError error) {
        boolean first = jdbi.withHandle(h -> Pages.needsReconnect(h, pageId, error.explained()));
        if (first) log.warn("Messenger page {}: its access token is no longer valid (Graph error {}); an admin must reconnect it",
                pageId, error.code());
    }
}
