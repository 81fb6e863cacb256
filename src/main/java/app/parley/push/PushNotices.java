package app.parley.push;

import app.parley.notify.NotifyCheck;
import org.jdbi.v3.core.Handle;

/**
 * Offline messages and missed conversations (issue #17, point 3, "per their settings"): {@code notify} decides who
 * is told, with each agent's choices and reads, exactly as for its mails; this pushes the same notice to their
 * devices in the transaction that closes the burst.
 */
public final class PushNotices implements NotifyCheck.Listener {
    private final PushQueue queue;

    public PushNotices(OpenTabs tabs) {
        this.queue = new PushQueue(tabs);
    }

    @Override
    public void decided(Handle h, NotifyCheck.Decided d) {
        String lead = switch (d.kind()) {
            case OFFLINE_MESSAGE -> "Offline message";
            case MISSED_CONVERSATION -> "Missed conversation";
        };
        queue.enqueue(h, d.accountId(), d.agentIds(), Notice.of(lead, d.visitorName(), d.lastText(), d.conversationId()));
    }
}
