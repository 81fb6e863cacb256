package app.parley.conversation;

import java.util.List;
import java.util.Set;

/**
 * The lists of the inbox, computed per agent (docs/PRODUCT.md §1.2). A single-agent account (one active agent and
 * no groups) shows All and New; a multi-agent account shows All, Primary, New and Mine. Resolved is the second
 * top category.
 */
public enum ConversationTab {
    ALL, PRIMARY, NEW, MINE, RESOLVED;

    /** What a conversation is, as far as the tabs care. */
    public record Facts(boolean open, Long groupId, Set<Long> assigneeIds) {}

    public boolean contains(Facts c, Viewer viewer) {
        if (this == RESOLVED) return !c.open() && viewer.sees(c.groupId());
        if (!c.open()) return false;
        return switch (this) {
            case ALL -> viewer.sees(c.groupId());
            case NEW -> isNew(c, viewer);
            case MINE -> isMine(c, viewer);
            case PRIMARY -> isNew(c, viewer) || isMine(c, viewer);
            case RESOLVED -> throw new AssertionError();
        };
    }

    // New: nobody has joined yet; with groups, only those of the agent's groups (or of no group), even for admins.
    private static boolean isNew(Facts c, Viewer viewer) {
        return c.assigneeIds().isEmpty() && viewer.inGroupScope(c.groupId());
    }

    // Mine: assigned and still visible: an agent moved out of the conversation's group cannot open it any more.
    private static boolean isMine(Facts c, Viewer viewer) {
        return c.assigneeIds().contains(viewer.agentId()) && viewer.sees(c.groupId());
    }

    public static List<ConversationTab> openTabs(boolean singleAgentAccount) {
        return singleAgentAccount ? List.of(ALL, NEW) : List.of(ALL, PRIMARY, NEW, MINE);
    }

    /** docs/PRODUCT.md §1.2: "one active agent and no groups". */
    public static boolean singleAgentAccount(int activeAgents, int groups) {
        return activeAgents <= 1 && groups == 0;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static ConversationTab parse(String s) {
        for (ConversationTab t : values()) if (t.wire().equals(s)) return t;
        return null;
    }
}
