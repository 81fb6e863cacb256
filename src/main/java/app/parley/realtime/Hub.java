package app.parley.realtime;

import app.parley.store.Event;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Who is connected: agents per account, chat boxes per visitor (and per account, for status broadcasts). An event
 * reaches its visitor through one lookup, whatever the number of chat boxes open on the shop.
 */
public final class Hub {
    private final ConcurrentHashMap<Long, Set<Client>> agentsByAccount = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<Client>> visitorsById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<Client>> visitorsByAccount = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<Client>> watchersByVisitor = new ConcurrentHashMap<>();
    private volatile java.util.function.LongUnaryOperator published = account -> 0;

    public void join(Client c) {
        if (c.isAgent()) {
            add(agentsByAccount, c.accountId(), c);
        } else {
            add(visitorsById, c.visitorId(), c);
            add(visitorsByAccount, c.accountId(), c);
        }
    }

    public void leave(Client c) {
        c.closed();
        if (c.isAgent()) {
            remove(agentsByAccount, c.accountId(), c);
            Long watched = c.watch(null);
            if (watched != null) remove(watchersByVisitor, watched, c);
        } else {
            remove(visitorsById, c.visitorId(), c);
            remove(visitorsByAccount, c.accountId(), c);
        }
    }

    /**
     * An agent's dashboard shows this visitor's card now (null: no card). Only watchers are told of the visitor's
     * pages: a shop's thousands of page views a second reach the few cards open on them, not every dashboard.
     */
    public void watch(Client c, Long visitorId) {
        Long before;
        synchronized (c) {
            before = c.watch(visitorId);
            if (java.util.Objects.equals(before, visitorId)) return;
            if (before != null) remove(watchersByVisitor, before, c);
            // Added under the client's lock, after watch() saw it connected: leave() then finds and removes it.
            if (c.watching() != null) add(watchersByVisitor, visitorId, c);
        }
    }

    /** The visitors whose card some dashboard here shows, each with since when the first of them shows it. */
    public java.util.Map<Long, java.time.Instant> watchedVisitors() {
        java.util.Map<Long, java.time.Instant> out = new java.util.HashMap<>();
        watchersByVisitor.forEach((visitor, clients) -> {
            for (Client c : clients) {
                java.time.Instant since = c.watchingSince();
                if (since != null) out.merge(visitor, since, (x, y) -> x.isBefore(y) ? x : y);
            }
        });
        return out;
    }

    /** The agents' clients whose dashboards show this visitor's card. */
    public Set<Client> watchers(long visitorId) {
        return watchersByVisitor.getOrDefault(visitorId, Set.of());
    }

    /** Called by the node's log tail for every committed batch, in each account's sequence order. */
    public void publish(List<Event> events) {
        for (Event read : events) {
            Event e = withFacts(read);
            if (e.agentPayload() != null) {
                for (Client c : agentsByAccount.getOrDefault(e.accountId(), Set.of())) if (c.maySee(e)) c.deliver(e);
            }
            if (e.visitorPayload() != null && e.visitorId() != null) {
                for (Client c : visitorsById.getOrDefault(e.visitorId(), Set.of())) if (c.maySee(e)) c.deliver(e);
            }
        }
    }

    /**
     * An event read from the log (another node's commit) carries no placement facts: a summary's are read from its
     * payload here, once, not by each socket that shows it.
     */
    private static Event withFacts(Event e) {
        if (e.placement() != null) return e;
        app.parley.conversation.ConversationTab.Facts facts = app.parley.conversation.ConversationTab.Facts.ofLogged(e);
        if (facts == null) return e;
        return new Event(e.seq(), e.accountId(), e.type(), e.conversationId(), e.groupId(), e.visitorId(), e.agentPayload(),
                e.visitorPayload(), e.otherGroupIds(), facts.placement());
    }

    /** Where each account's published events stand (the node's log tail), set by the composition root. */
    public void publishedBy(java.util.function.LongUnaryOperator published) {
        this.published = published;
    }

    /** The sequence of the account's last event handed to clients: the state an ephemeral signal describes. */
    public long lastSeq(long accountId) {
        return published.applyAsLong(accountId);
    }

    /** The chat box's "is anyone there" signal, as of now. */
    public String chatStatusFrame(long accountId, boolean online) {
        return "{\"type\":\"chat_status\",\"ephemeral\":true,\"seq\":" + lastSeq(accountId) + ",\"data\":{\"online\":" + online + "}}";
    }

    /**
     * Typing (ephemeral): to the account's agents who see {@code groupId} (but {@code exceptAgentId}), and to the
     * visitor's chat boxes when {@code visitorId} is given. With several nodes the same goes to the other nodes,
     * whose sockets are not here ({@link #relayTo}).
     */
    public void typing(long accountId, Long groupId, Long exceptAgentId, Long visitorId, String frame) {
        typingHere(accountId, groupId, exceptAgentId, visitorId, frame);
        relay.accept(new Typing(accountId, groupId, exceptAgentId, visitorId, frame));
    }

    /** A typing signal as it travels between nodes. */
    public record Typing(long accountId, Long groupId, Long exceptAgentId, Long visitorId, String frame) {}

    private volatile java.util.function.Consumer<Typing> relay = t -> {};

    /** Where typing signals go for the other nodes (set by the composition root with several nodes). */
    public void relayTo(java.util.function.Consumer<Typing> relay) {
        this.relay = relay;
    }

    /** A typing signal from another node: to the sockets here only. */
    public void typingFromElsewhere(Typing t) {
        typingHere(t.accountId(), t.groupId(), t.exceptAgentId(), t.visitorId(), t.frame());
    }

    private void typingHere(long accountId, Long groupId, Long exceptAgentId, Long visitorId, String frame) {
        signalAgents(accountId, c -> (exceptAgentId == null || c.viewer().agentId() != exceptAgentId) && c.viewer().sees(groupId), frame);
        if (visitorId != null) signalVisitor(visitorId, frame);
    }

    /** An ephemeral frame (typing, tab counts) to the account's agents that match. */
    public void signalAgents(long accountId, Predicate<Client> to, String frame) {
        for (Client c : agents(accountId)) if (to.test(c)) c.signal(frame);
    }

    /** An ephemeral frame to every chat box of one visitor. */
    public void signalVisitor(long visitorId, String frame) {
        for (Client c : visitorsById.getOrDefault(visitorId, Set.of())) c.signal(frame);
    }

    public Set<Client> agents(long accountId) {
        return agentsByAccount.getOrDefault(accountId, Set.of());
    }

    public Set<Client> visitors(long accountId) {
        return visitorsByAccount.getOrDefault(accountId, Set.of());
    }

    /** Open agent sockets of every account (for metrics; a sum over a few accounts). */
    public int agentSockets() {
        int n = 0;
        for (Set<Client> s : agentsByAccount.values()) n += s.size();
        return n;
    }

    /** Open chat-box sockets of every account (for metrics). */
    public int visitorSockets() {
        int n = 0;
        for (Set<Client> s : visitorsByAccount.values()) n += s.size();
        return n;
    }

    private static void add(ConcurrentHashMap<Long, Set<Client>> index, long key, Client c) {
        index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(c);
    }

    private static void remove(ConcurrentHashMap<Long, Set<Client>> index, long key, Client c) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }
}
