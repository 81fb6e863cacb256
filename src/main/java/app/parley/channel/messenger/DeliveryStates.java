package app.parley.channel.messenger;

import app.parley.conversation.ChannelMessages;

/**
 * A reply's Messenger delivery state, told to the agents live: the same {@code message.updated} with
 * {@code data.delivery_status} that a mail reply's status takes, so the thread shows both one way.
 */
final class DeliveryStates {
    private final ChannelMessages messages;

    DeliveryStates(ChannelMessages messages) {
        this.messages = messages;
    }

    /** The customer reacted to a message (or took the reaction back: null), shown live under it. */
    void reacted(long accountId, long messageId, String reaction, String emoji) {
        messages.annotate(accountId, messageId, "messenger_reaction",
                reaction == null ? null : java.util.Map.of("reaction", reaction, "emoji", emoji == null ? "" : emoji));
    }

    /** A reply's state moved (sent, delivered, seen, or failed with {@code error}), shown live on the message. */
    void announce(long accountId, long messageId, ChannelMessages.Delivery state, String error) {
        messages.delivery(accountId, messageId, state, state == ChannelMessages.Delivery.FAILED ? error : null);
    }
}
