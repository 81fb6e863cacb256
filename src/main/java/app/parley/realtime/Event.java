package app.parley.realtime;

/**
 * One committed change as clients see it. {@code agentPayload} is what agents of the account (of the event's
 * group) receive, {@code visitorPayload} what the conversation's visitor receives; null means not for them.
 */
public record Event(
        long seq,
        long accountId,
        String type,
        Long conversationId,
        Long groupId,
        Long visitorId,
        String agentPayload,
        String visitorPayload) {

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
