package app.parley.tracking;

import java.time.Instant;

/** What a chat box tells of its visitor's browsing, queued for {@link PageViewWriter}. */
public sealed interface Activity {
    long accountId();

    long visitorId();

    Instant at();

    /** A page opened: url, title and referrer already checked and masked ({@link PageViewWriter#pageView}). */
    record PageView(long accountId, long visitorId, Instant at, String url, String title, String referrer,
                    String userAgent, ClientHints hints, String ip) implements Activity {}

    /** Still on the site (a chat box's keep-alive), so "on the site now" holds while a visitor reads one long page. */
    record StillHere(long accountId, long visitorId, Instant at) implements Activity {}

    /** The visitor's last chat box on this node closed. */
    record Left(long accountId, long visitorId, Instant at) implements Activity {}
}
