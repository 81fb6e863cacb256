package app.parley.realtime;

import app.parley.conversation.Inbox;
import app.parley.core.Json;
import app.parley.store.Event;
import app.parley.store.EventType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes each connected agent its tab counts after conversations change: at most every 250 ms per account, so a
 * burst of a thousand changes costs one count per agent.
 */
public final class TabCounts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TabCounts.class);
    private static final Set<String> CHANGES_TABS = Set.of(EventType.CONVERSATION_CREATED.wire(),
            EventType.CONVERSATION_UPDATED.wire(), EventType.AGENT_UPDATED.wire());

    private final Inbox inbox;
    private final Hub hub;
    private final Set<Long> scheduled = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("parley-tabs").factory());

    public TabCounts(Inbox inbox, Hub hub) {
        this.inbox = inbox;
        this.hub = hub;
    }

    public void onCommitted(List<Event> events) {
        for (Event e : events) {
            if (CHANGES_TABS.contains(e.type()) && scheduled.add(e.accountId())) {
                timer.schedule(() -> push(e.accountId()), 250, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void push(long accountId) {
        scheduled.remove(accountId);
        try {
            for (Client c : hub.agents(accountId)) {
                inbox.tabsOf(c.viewer().agentId()).ifPresent(tabs ->
                        c.signal(Json.write(Map.of("type", "tabs", "ephemeral", true, "seq", hub.lastSeq(accountId), "data", tabs))));
            }
        } catch (RuntimeException e) {
            log.error("Counting tabs for account {} failed", accountId, e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
