package app.parley.realtime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** Who is connected, per account; hands committed events to the clients that may see them. */
public final class Hub {
    private final ConcurrentHashMap<Long, Set<Client>> byAccount = new ConcurrentHashMap<>();
    private volatile long lastSeq;

    public void join(Client c) {
        byAccount.computeIfAbsent(c.accountId(), k -> ConcurrentHashMap.newKeySet()).add(c);
    }

    public void leave(Client c) {
        c.closed();
        Set<Client> clients = byAccount.get(c.accountId());
        if (clients != null) clients.remove(c);
    }

    /** Called by the journal after each commit, in sequence order. */
    public void publish(List<Event> events) {
        for (Event e : events) {
            Set<Client> clients = byAccount.get(e.accountId());
            if (clients == null) continue;
            for (Client c : clients) if (c.maySee(e)) c.deliver(e);
        }
        if (!events.isEmpty()) lastSeq = events.getLast().seq();
    }

    /** Where the log stands when Parley starts, before any event is published. */
    public void startAt(long seq) {
        lastSeq = seq;
    }

    /** The sequence of the last event handed to clients: the state an ephemeral signal describes. */
    public long lastSeq() {
        return lastSeq;
    }

    /** An ephemeral frame (typing, status, tab counts) to the matching clients of an account. */
    public void signal(long accountId, Predicate<Client> to, String frame) {
        Set<Client> clients = byAccount.get(accountId);
        if (clients == null) return;
        for (Client c : clients) if (to.test(c)) c.sendNow(frame);
    }

    public Set<Client> clients(long accountId) {
        return byAccount.getOrDefault(accountId, Set.of());
    }

    public int connectionCount() {
        return byAccount.values().stream().mapToInt(Set::size).sum();
    }
}
