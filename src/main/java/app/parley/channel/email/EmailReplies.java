package app.parley.channel.email;

import app.parley.account.Agent;
import app.parley.conversation.AgentActions;
import app.parley.conversation.Channel;
import app.parley.conversation.Message;
import app.parley.conversation.MessageKind;
import app.parley.core.Refusal;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * An agent's reply sent by email (issue #12, point 1): allowed when an address is known for the visitor (the
 * contact form, the shop's identify, an agent typing it into the card, or a mail they sent). The message is
 * written like any reply; {@link EmailOutbox} and {@link EmailSender} send it.
 */
public final class EmailReplies {
    private final Jdbi jdbi;
    private final AgentActions actions;

    public EmailReplies(Jdbi jdbi, AgentActions actions) {
        this.jdbi = jdbi;
        this.actions = actions;
    }

    public Message send(Agent author, long conversationId, MessageKind kind, String text, String clientId) {
        if (kind != MessageKind.MESSAGE) throw Refusal.invalid("channel", "Only a message goes by email, not a note.");
        Optional<String> address = jdbi.withHandle(h -> {
            // The same visibility as the write itself: an unseen conversation is simply not found there.
            boolean mine = h.createQuery("SELECT count(*) > 0 FROM conversations WHERE id = :c AND account_id = :a")
                    .bind("c", conversationId).bind("a", author.accountId()).mapTo(Boolean.class).one();
            return mine ? EmailThreads.addressOf(h, conversationId) : Optional.of("");
        });
        if (address.isEmpty()) {
            throw Refusal.invalid("channel", "No email address is known for this visitor: add one to their card first.");
        }
        return actions.write(author, conversationId, kind, text, clientId, Channel.EMAIL);
    }

    /** What the composer needs: whether an email can go, to whom. */
    public record Reach(String address, boolean canEmail) {}

    public Reach reach(long accountId, long conversationId) {
        return jdbi.withHandle(h -> {
            boolean mine = h.createQuery("SELECT count(*) > 0 FROM conversations WHERE id = :c AND account_id = :a")
                    .bind("c", conversationId).bind("a", accountId).mapTo(Boolean.class).one();
            if (!mine) throw Refusal.notFound("The conversation");
            String a = EmailThreads.addressOf(h, conversationId).orElse(null);
            return new Reach(a, a != null);
        });
    }
}
