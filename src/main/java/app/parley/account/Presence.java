package app.parley.account;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which agents are online, per account, kept in memory from the agents table. The chat box is online when an
 * active agent is online who is in the visitor's group or in no group (docs/PRODUCT.md §8).
 */
public final class Presence {
    private record State(boolean online, boolean active, Set<Long> groupIds) {}

    private final Function<Long, List<Agent>> loadAccount;
    private final Map<Long, Map<Long, State>> accounts = new ConcurrentHashMap<>();

    public Presence(Function<Long, List<Agent>> loadAccount) {
        this.loadAccount = loadAccount;
    }

    private volatile java.util.function.BiPredicate<Long, Long> withinHours = (accountId, groupId) -> true;

    /** Office hours: outside them nobody answers, whoever is online (set by the composition root). */
    public void withinHours(java.util.function.BiPredicate<Long, Long> open) {
        this.withinHours = open;
    }

    /** Whether anyone can answer; loads the account's agents on first use (outside any open transaction, please). */
    public boolean chatOnline(long accountId, Long groupId) {
        if (!withinHours.test(accountId, groupId)) return false;
        return agents(accountId).values().stream().anyMatch(s -> s.online() && s.active()
                && (groupId == null || s.groupIds().isEmpty() || s.groupIds().contains(groupId)));
    }

    public void update(Agent agent) {
        agents(agent.accountId()).put(agent.id(), new State(agent.online(), agent.active(), agent.groupIds()));
    }

    /** After a change of groups: read the account again. */
    public void reload(long accountId) {
        accounts.remove(accountId);
    }

    public Map<Long, Boolean> onlineByAgent(long accountId) {
        Map<Long, Boolean> out = new java.util.TreeMap<>();
        agents(accountId).forEach((id, s) -> out.put(id, s.online() && s.active()));
        return out;
    }

    private Map<Long, State> agents(long accountId) {
        return accounts.computeIfAbsent(accountId, id -> {
            Map<Long, State> m = new ConcurrentHashMap<>();
            for (Agent a : loadAccount.apply(id)) m.put(a.id(), new State(a.online(), a.active(), a.groupIds()));
            return m;
        });
    }
}
