package app.parley.store;

import java.util.List;
import java.util.Set;

/**
 * One committed change as clients see it. {@code agentPayload} is what agents of the account (of the event's
 * group) receive, {@code visitorPayload} what the conversation's visitor receives; null means not for them.
 * {@code otherGroupIds}: more groups whose agents receive it (a contact with conversations in several groups), or
 * null. {@code placement}: for an event whose agent payload is a conversation's summary, what decides the tabs it
 * is in (each agent's frame names them), else null; not stored, so events read back from the log have none.
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
        List<Long> otherGroupIds,
        Placement placement) {

    /** A conversation as the tab rule sees it, in plain values: open or not, its group, its assignees. */
    public record Placement(boolean open, Long groupId, Set<Long> assigneeIds) {}

    public Event(long seq, long accountId, String type, Long conversationId, Long groupId, Long visitorId,
                 String agentPayload, String visitorPayload) {
        this(seq, accountId, type, conversationId, groupId, visitorId, agentPayload, visitorPayload, null, null);
    }

    public Event(long seq, long accountId, String type, Long conversationId, Long groupId, Long visitorId,
                 String agentPayload, String visitorPayload, List<Long> otherGroupIds) {
        this(seq, accountId, type, conversationId, groupId, visitorId, agentPayload, visitorPayload, otherGroupIds, null);
    }

    public String agentFrame() {
        return frame(agentPayload);
    }

    /**
     * The agent frame with one more member first in its data object ({@code "tabs":[...]}): the shared payload is
     * copied once into the frame, as {@link #agentFrame()} does, so a per-agent field costs no JSON parsing.
     */
    public String agentFrame(String dataMember) {
        StringBuilder s = new StringBuilder(agentPayload.length() + dataMember.length() + 80)
                .append("{\"type\":\"").append(type).append("\",\"seq\":").append(seq);
        if (conversationId != null) s.append(",\"conversation_id\":").append(conversationId);
        s.append(",\"data\":{").append(dataMember);
        if (agentPayload.length() > 2) s.append(',');
        return s.append(agentPayload, 1, agentPayload.length()).append('}').toString();
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
