package app.parley.realtime;

import app.parley.contact.CardScope;
import app.parley.core.Json;
import app.parley.tracking.PageViewWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The card's live browsing history (issue #11 §1): after the page-view writer commits a batch, a {@code visitor.page}
 * signal to each agent who may see that visitor (by {@link CardScope}, as the card itself), so an open card fetches
 * the new page at once. Ephemeral, like typing: page views are not journal events, and a dashboard that missed one
 * reads the card again when it reconnects. Visitors of accounts with no agent connected cost nothing.
 */
public final class LivePages implements Consumer<List<PageViewWriter.Stored>> {
    private final Hub hub;
    private final Jdbi jdbi;

    public LivePages(Hub hub, Jdbi jdbi) {
        this.hub = hub;
        this.jdbi = jdbi;
    }

    @Override
    public void accept(List<PageViewWriter.Stored> batch) {
        // The newest change per visitor, of accounts someone is watching.
        Map<Long, PageViewWriter.Stored> watched = new LinkedHashMap<>();
        for (PageViewWriter.Stored s : batch) {
            if (!hub.agents(s.accountId()).isEmpty()) watched.put(s.visitorId(), s);
        }
        if (watched.isEmpty()) return;
        Map<Long, CardScope> scopes = jdbi.withHandle(h -> CardScope.ofVisitors(h, new ArrayList<>(watched.keySet())));
        for (PageViewWriter.Stored s : watched.values()) {
            CardScope scope = scopes.get(s.visitorId());
            hub.signalAgents(s.accountId(), c -> scope.seenBy(c.viewer()), frame(s));
        }
    }

    private String frame(PageViewWriter.Stored s) {
        ObjectNode f = Json.object();
        f.put("type", "visitor.page");
        f.put("ephemeral", true);
        f.put("seq", hub.lastSeq());
        ObjectNode d = f.putObject("data");
        d.put("visitor_id", s.visitorId());
        d.put("url", s.url());
        d.put("title", s.title());
        d.put("at", s.at().toString());
        d.put("left", s.left());
        return Json.write(f);
    }
}
