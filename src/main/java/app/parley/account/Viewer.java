package app.parley.account;

import java.util.Set;

/** The agent looking at conversations: who they are, their role and their groups. */
public record Viewer(long agentId, long accountId, Role role, boolean active, Set<Long> groupIds) {

    /**
     * docs/PRODUCT.md §1.2: an agent in one or more groups sees only conversations of those groups and of no group;
     * an agent in no group sees all; the owner and admins see all.
     */
    public boolean sees(Long conversationGroupId) {
        return role.fullAccess() || inGroupScope(conversationGroupId);
    }

    /** The group scope without the full-access override: what New is limited to for everyone. */
    public boolean inGroupScope(Long conversationGroupId) {
        return groupIds.isEmpty() || conversationGroupId == null || groupIds.contains(conversationGroupId);
    }
}
