package app.parley.channel.messenger;

import app.parley.contact.ChannelVisitors;
import app.parley.conversation.ChannelInbound;
import app.parley.conversation.ChannelMessages;
import app.parley.conversation.VisitorActions;
import app.parley.store.EventConsumers;
import app.parley.store.Jobs;
import app.parley.store.Journal;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/** The Messenger channel's parts, built and registered with the backbone (its consumer and its jobs) in one place. */
public final class Messenger {
    private final MessengerWebhook webhook;
    private final MessengerChannel channel;

    /**
     * {@code retryBaseMillis}: the first pause before a failed send is tried again (doubling, at most an hour);
     * {@code adminMail}: how admins are told a page must be reconnected; {@code baseUrl}: the dashboard's address for links.
     */
    public Messenger(Jdbi jdbi, Journal journal, Jobs jobs, EventConsumers consumers, VisitorActions visitorActions,
                     String graphApiUrl, long retryBaseMillis, int maxAttempts, AdminMail adminMail,
                     java.util.function.Supplier<String> baseUrl) {
        GraphApi graph = new GraphApi(graphApiUrl);
        TokenTrouble tokens = new TokenTrouble(jdbi, baseUrl, jobs::wake);
        jobs.register(ReconnectNotice.KIND, new ReconnectNotice(adminMail, retryBaseMillis));
        AppSecrets secrets = new AppSecrets(jdbi);
        this.webhook = new MessengerWebhook(jdbi, secrets, jobs::wake);
        this.channel = new MessengerChannel(jdbi, graph, secrets);
        ProfileFetcher profiles = new ProfileFetcher(jdbi, jobs.gate(), graph, new ChannelVisitors(journal), tokens);
        DeliveryStates states = new DeliveryStates(new ChannelMessages(journal));
        jobs.registerCoalescing(InboundProcessor.KIND, new InboundProcessor(jdbi, jobs.gate(), new ChannelInbound(journal),
                visitorActions, profiles, jobs::wake, states));
        jobs.register(ProfileFetcher.KIND, profiles);
        jobs.register(AttachmentFetcher.KIND, new AttachmentFetcher(jdbi, jobs.gate(), graph));
        jobs.register(ReplySender.KIND, new ReplySender(jdbi, jobs.gate(), graph, tokens, maxAttempts,
                attempt -> Duration.ofMillis(Math.min(3_600_000L, retryBaseMillis << Math.min(20, Math.max(0, attempt - 1)))), states));
        consumers.register(ReplyConsumer.NAME, EventConsumers.StartAt.NOW, new ReplyConsumer(), jobs::wake);
    }

    public MessengerWebhook webhook() {
        return webhook;
    }

    public MessengerChannel channel() {
        return channel;
    }
}
