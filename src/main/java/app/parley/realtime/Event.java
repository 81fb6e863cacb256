package app.parley.realtime;

import app.parley.conversation.Viewer;
import java.util.List;

/**
 * One committed change as clients see it. {@code agentPayload} is what agents of the account (of the event's
 * group) receive, {@code visitorPayload} what the conversation's visitor receives; null means not for them.
 * {@code otherGroupIds}: more groups whose agents receive it (a contact with conversations in several groups), or
 * null.
 */
public record Event(
        long seq,
        long accountId,
        String type,
        Long conversationId,
        Long groupId,
        Long visitorId,
        String agentPayload,
        String visitorPayload,
        List<Long> otherGroupIds) {

    public Event(long seq, long accountId, String type, Long conversationId, Long groupId, Long visitorId,
                 String agentPayload, String visitorPayload) {
        this(seq, accountId, type, conversationId, groupId, visitorId, agentPayload, visitorPayload, null);
    }

    /** Whether the agent sees the event: they see its group or one of its other groups. */
    public boolean seenBy(Viewer viewer) {
        return viewer.sees(groupId) || otherGroupIds != null && otherGroupIds.stream().anyMatch(viewer::sees);
    }

    public String agentFrame() {
        return frame(agentPayload);
    }

    public String visitorFrame() {
        return frame(visitorPayload);
    }

    private String frame(String payload) {
        return "{\"type\":\"" + type + "\",\"seq\":" + seq
                + (conversationId == null ? "" : ",\"conversation_id\":" + conversationId)
                + ",\"data\":" + payload + "}";
    }
}
