package app.parley.conversation;

import app.parley.store.EventType;
import app.parley.store.Journal;
import app.parley.store.Tx;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Messages that arrive through another platform (Messenger): the customer's own, which open or reopen the
 * visitor's conversation as the chat box's do, and replies the shop typed on that platform, which are agent-side
 * and change nothing else. The platform's message id is the client id, so a redelivered message is found, not
 * stored twice (the unique index and the journal's careful rerun, as for the chat box's retried sends).
 */
public final class ChannelInbound {
    /**
     * One message: {@code externalId} is the platform's id (never masked: an identifier), {@code text} is masked
     * already (null when only attachments came), {@code preview} is what the list shows when there is no text.
     */
    public record Arrival(long accountId, long visitorId, Channel channel, String externalId, String text,
                          String preview, String data, OffsetDateTime at) {}

    /** The stored message, and whether this call stored it (false: it was there already). */
    public record Stored(Message message, boolean isNew) {}

    private final Journal journal;

    public ChannelInbound(Journal journal) {
        this.journal = journal;
    }

    /**
     * The customer wrote. {@code alongside} runs in the same transaction when the message is new (the channel's own
     * rows: they exist exactly when the message does).
     */
    public CompletableFuture<Stored> arrive(Arrival a, BiConsumer<Tx, Message> alongside) {
        return journal.submit(new Write(a, MessageSubType.CONTACT, alongside));
    }

    /** The shop answered from the platform itself: an agent-side message without an agent; no reopen, no unread. */
    public CompletableFuture<Stored> echo(Arrival a, BiConsumer<Tx, Message> alongside) {
        return journal.submit(new Write(a, MessageSubType.AGENT, alongside));
    }

    private record Write(Arrival a, MessageSubType subType, BiConsumer<Tx, Message> alongside) implements Journal.Command<Stored> {
        @Override
        public Stored execute(Tx tx) {
            ConversationRow c = latest(tx, a.visitorId());
            if (c != null && c.accountId != a.accountId()) throw new IllegalStateException("Visitor of another account");
            if (c != null) {
                Message earlier = MessageBatch.of(tx).byClientId(c.id, a.externalId());
                if (earlier != null) return new Stored(earlier, false);
            }
            boolean fromCustomer = subType == MessageSubType.CONTACT;
            boolean created = c == null;
            if (created) c = Timeline.open(tx, a.accountId(), a.visitorId(), a.channel(), false, true);
            boolean reopened = fromCustomer && Timeline.reopen(tx, c);
            Message m = Timeline.write(tx, c, MessageKind.MESSAGE, subType, null, a.text(), null, a.data(),
                    a.externalId(), a.at());
            if (a.text() == null && a.preview() != null) c.lastMessageText = a.preview();
            if (created) Timeline.changed(tx, c, EventType.CONVERSATION_CREATED);
            Timeline.announce(tx, c, m);
            if (reopened) Timeline.changed(tx, c, EventType.CONVERSATION_UPDATED);
            alongside.accept(tx, m);
            return new Stored(m, true);
        }
    }

    private static ConversationRow latest(Tx tx, long visitorId) {
        ConversationCache cache = ConversationCache.of(tx);
        Long id = cache.newestOf(visitorId);
        return id == null ? null : cache.get(id);
    }
}
