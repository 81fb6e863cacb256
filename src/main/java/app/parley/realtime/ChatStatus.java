package app.parley.realtime;

import app.parley.account.Agent;
import app.parley.account.Presence;
import app.parley.core.Json;
import app.parley.store.Event;
import app.parley.store.EventType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The chat box's "is anyone there" signal, kept true from committed events: an agent changed (status, groups,
 * access) updates who is online; a group created, renamed or deleted changes who answers which chat box, so the
 * account is read again. Every connected chat box of a changed account is then told (docs/PROTOCOL.md).
 */
public final class ChatStatus {
    private static final Set<String> GROUP_CHANGES = Set.of(EventType.GROUP_CREATED.wire(), EventType.GROUP_UPDATED.wire(),
            EventType.GROUP_DELETED.wire());

    private final Hub hub;
    private final Presence presence;

    public ChatStatus(Hub hub, Presence presence) {
        this.hub = hub;
        this.presence = presence;
    }

    /** Called with each committed batch's events, in commit order, after the hub has them. */
    public void onCommitted(List<Event> events) {
        Set<Long> changed = null;
        for (Event e : events) {
            if (EventType.AGENT_UPDATED.wire().equals(e.type())) {
                // The event carries the agent as committed: no read needed.
                presence.update(Json.read(e.agentPayload(), Agent.class));
            } else if (GROUP_CHANGES.contains(e.type())) {
                presence.reload(e.accountId());
            } else {
                continue;
            }
            if (changed == null) changed = new LinkedHashSet<>();
            changed.add(e.accountId());
        }
        if (changed != null) changed.forEach(this::announce);
    }

    /** Something besides an event changed who answers (office hours opened or closed): tell the chat boxes. */
    public void refresh(long accountId) {
        announce(accountId);
    }

    /** Tells every connected chat box of the account whether someone is there to answer. */
    private void announce(long accountId) {
        for (Client c : hub.visitors(accountId)) {
            c.signal(hub.chatStatusFrame(accountId, presence.chatOnline(accountId, c.groupId())));
        }
    }
}
