package app.parley.conversation;

import app.parley.account.Viewer;
import app.parley.core.Json;
import app.parley.store.Event;
import app.parley.store.EventType;
import com.fasterxml.jackson.databind.JsonNode;
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
    public record Facts(boolean open, Long groupId, Set<Long> assigneeIds) {
        public static Facts of(ConversationView v) {
            return new Facts(ConversationStatus.OPEN.wire().equals(v.status()), v.groupId(), Set.copyOf(v.assignedIds()));
        }

        /** Null for null: most events are not about a conversation's state. */
        public static Facts of(Event.Placement p) {
            return p == null ? null : new Facts(p.open(), p.groupId(), p.assigneeIds());
        }

        /**
         * The facts of a conversation summary event read back from the log (a resume), where no placement is kept:
         * from its payload, the summary {@link ConversationView} wrote. Null for any other event.
         */
        public static Facts ofLogged(Event e) {
            if (!SUMMARIES.contains(e.type()) || e.agentPayload() == null) return null;
            JsonNode v = Json.tree(e.agentPayload());
            Set<Long> assignees = new java.util.HashSet<>();
            v.path("assigned_ids").forEach(id -> assignees.add(id.asLong()));
            JsonNode group = v.path("group_id");
            return new Facts(ConversationStatus.OPEN.wire().equals(v.path("status").asText()), group.isNumber() ? group.asLong() : null,
                    Set.copyOf(assignees));
        }

        public Event.Placement placement() {
            return new Event.Placement(open, groupId, assigneeIds);
        }
    }

    /** The events whose agent payload is a conversation's summary (Timeline.changed). */
    public static final Set<String> SUMMARIES =
            Set.of(EventType.CONVERSATION_CREATED.wire(), EventType.CONVERSATION_UPDATED.wire());

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

    /**
     * The tabs a conversation is in for the viewer, every tab whatever the account's mode (the mode only picks the
     * lists shown): what the API and the events tell the dashboard, so it never works the rule out itself.
     */
    public static List<String> of(Facts c, Viewer viewer) {
        List<String> in = new java.util.ArrayList<>(3);
        for (ConversationTab t : VALUES) if (t.contains(c, viewer)) in.add(t.wire());
        return in;
    }

    /** {@link #of} as the JSON member {@code "tabs":[...]}, built without a JSON writer: a frame per agent needs it. */
    public static String member(Facts c, Viewer viewer) {
        int bits = 0;
        for (ConversationTab t : VALUES) if (t.contains(c, viewer)) bits |= 1 << t.ordinal();
        return MEMBERS[bits];
    }

    private static final ConversationTab[] VALUES = values();
    private static final String[] MEMBERS = new String[1 << VALUES.length];

    static {
        for (int bits = 0; bits < MEMBERS.length; bits++) {
            StringBuilder s = new StringBuilder("\"tabs\":[");
            for (ConversationTab t : VALUES) {
                if ((bits & 1 << t.ordinal()) == 0) continue;
                if (s.charAt(s.length() - 1) != '[') s.append(',');
                s.append('"').append(t.wire()).append('"');
            }
            MEMBERS[bits] = s.append(']').toString();
        }
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
