package app.parley.realtime;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A socket's outgoing frames, handed to Jetty as they come: its frame flusher queues them in order and writes
 * whatever queued up meanwhile in one gathering write, so a burst (a batch of events to an agent, an ack and its
 * event to a chat box) costs one system call, not one per frame. No thread per socket: an idle connection costs
 * only this object. A client too slow to keep up is disconnected; it resumes from its last sequence and loses
 * nothing.
 */
final class Outbound {
    static final int MAX_QUEUED = 20_000;

    private final Session session;
    private final AtomicInteger queued = new AtomicInteger();
    private final Callback sent;
    private volatile boolean closed;

    Outbound(Session session) {
        this.session = session;
        this.sent = Callback.from(queued::decrementAndGet, failure -> closed = true);
    }

    void send(String frame) {
        if (closed) return;
        if (queued.incrementAndGet() > MAX_QUEUED) {
            closed = true;
            session.close(1013, "Too slow: reconnect and resume", Callback.NOOP);
            return;
        }
        session.sendText(frame, sent);
    }

    void close() {
        closed = true;
    }

    /** Closes the socket from our side: nothing more is sent, whatever is still queued. False if already closed. */
    boolean end(int code, String reason) {
        if (closed) return false;
        closed = true;
        session.close(code, reason, Callback.NOOP);
        return true;
    }
}
