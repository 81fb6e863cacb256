package app.parley.conversation;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A conversation's row as a command changes it inside the journal's transaction: taken from the journal's cache
 * of committed rows (or read), changed in memory by any number of commands, written back in one statement at the
 * end (see {@link ConversationCache}).
 */
public final class ConversationRow {
    public final long id;
    public final long accountId;
    public final long visitorId;
    public final OffsetDateTime createdAt;
    // Never written back by ConversationCache: set when the conversation is created, changed only by direct SQL
    // (ConversationCache.linkContact, ConversationCache.groupDeleted).
    public Long contactId;
    public Long groupId;
    public Channel channel;
    public ConversationStatus status;
    public boolean isOffline;
    public boolean isServed;
    public boolean important;
    public CloseType closeType;
    public Long closedBy;
    public Integer ratingValue;
    public String ratingText;
    public final Set<Long> assigneeIds = new LinkedHashSet<>();
    public final Set<Long> participantIds = new LinkedHashSet<>();
    public int contactMessageCount;
    public Long lastMessageId;
    public String lastMessageText;
    public MessageSubType lastMessageSubType;
    public OffsetDateTime lastMessageAt;
    public long visitorReadId;
    public long agentReadId;
    public OffsetDateTime updatedAt;
    public OffsetDateTime finishedAt;

    ConversationRow(long id, long accountId, long visitorId, OffsetDateTime createdAt) {
        this.id = id;
        this.accountId = accountId;
        this.visitorId = visitorId;
        this.createdAt = createdAt;
    }

    public boolean open() {
        return status == ConversationStatus.OPEN;
    }

    public ConversationTab.Facts facts() {
        return new ConversationTab.Facts(open(), groupId, Set.copyOf(assigneeIds));
    }

    static ConversationRow map(ResultSet rs) throws SQLException {
        ConversationRow c = new ConversationRow(rs.getLong("id"), rs.getLong("account_id"), rs.getLong("visitor_id"),
                rs.getObject("created_at", OffsetDateTime.class));
        c.contactId = (Long) rs.getObject("contact_id");
        c.groupId = (Long) rs.getObject("group_id");
        c.channel = Channel.fromWire(rs.getString("channel"));
        c.status = ConversationStatus.fromWire(rs.getString("status"));
        c.isOffline = rs.getBoolean("is_offline");
        c.isServed = rs.getBoolean("is_served");
        c.important = rs.getBoolean("important");
        String closeType = rs.getString("close_type");
        c.closeType = closeType == null ? null : CloseType.fromWire(closeType);
        c.closedBy = (Long) rs.getObject("closed_by");
        c.ratingValue = (Integer) rs.getObject("rating_value", Integer.class);
        c.ratingText = rs.getString("rating_text");
        c.assigneeIds.addAll(longs(rs.getArray("assignee_ids")));
        c.participantIds.addAll(longs(rs.getArray("participant_ids")));
        c.contactMessageCount = rs.getInt("contact_message_count");
        c.lastMessageId = (Long) rs.getObject("last_message_id");
        c.lastMessageText = rs.getString("last_message_text");
        String lastSubType = rs.getString("last_message_sub_type");
        c.lastMessageSubType = lastSubType == null ? null : MessageSubType.fromWire(lastSubType);
        c.lastMessageAt = rs.getObject("last_message_at", OffsetDateTime.class);
        c.visitorReadId = rs.getLong("visitor_read_id");
        c.agentReadId = rs.getLong("agent_read_id");
        c.updatedAt = rs.getObject("updated_at", OffsetDateTime.class);
        c.finishedAt = rs.getObject("finished_at", OffsetDateTime.class);
        return c;
    }

    /** A copy that changes independently: the journal keeps committed rows apart from the ones a batch changes. */
    ConversationRow copy() {
        ConversationRow c = new ConversationRow(id, accountId, visitorId, createdAt);
        c.contactId = contactId;
        c.groupId = groupId;
        c.channel = channel;
        c.status = status;
        c.isOffline = isOffline;
        c.isServed = isServed;
        c.important = important;
        c.closeType = closeType;
        c.closedBy = closedBy;
        c.ratingValue = ratingValue;
        c.ratingText = ratingText;
        c.assigneeIds.addAll(assigneeIds);
        c.participantIds.addAll(participantIds);
        c.contactMessageCount = contactMessageCount;
        c.lastMessageId = lastMessageId;
        c.lastMessageText = lastMessageText;
        c.lastMessageSubType = lastMessageSubType;
        c.lastMessageAt = lastMessageAt;
        c.visitorReadId = visitorReadId;
        c.agentReadId = agentReadId;
        c.updatedAt = updatedAt;
        c.finishedAt = finishedAt;
        return c;
    }

    static Set<Long> longs(Array array) throws SQLException {
        if (array == null) return Set.of();
        return new LinkedHashSet<>(Arrays.asList((Long[]) array.getArray()));
    }
}
