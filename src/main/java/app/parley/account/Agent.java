package app.parley.account;

import java.util.Set;

/** A member of a shop's support team. */
public record Agent(long id, long accountId, String email, String name, Role role, boolean active, AgentStatus status,
                    String avatarUrl, Set<Long> groupIds) {

    public Viewer viewer() {
        return new Viewer(id, accountId, role, active, groupIds);
    }

    public boolean online() {
        return status == AgentStatus.ONLINE;
    }
}
