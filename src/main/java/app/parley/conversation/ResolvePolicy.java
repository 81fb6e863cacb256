package app.parley.conversation;

import app.parley.account.Viewer;
import java.util.Set;

/**
 * Who may resolve (docs/PRODUCT.md §1.1): an assigned agent, an agent with full access, or the owner. A conversation
 * needs an assignee to be resolved, so a full-access agent who resolves an unassigned one becomes its assignee.
 */
public final class ResolvePolicy {
    private ResolvePolicy() {}

    public static boolean mayResolve(Viewer viewer, Set<Long> assigneeIds) {
        return viewer.active() && (viewer.role().fullAccess() || assigneeIds.contains(viewer.agentId()));
    }

    /** Whether resolving also assigns the resolver: only when nobody is assigned yet. */
    public static boolean resolverBecomesAssignee(Set<Long> assigneeIds) {
        return assigneeIds.isEmpty();
    }
}
