package app.parley.realtime;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A socket's outgoing frames: one send in flight at a time (Jetty forbids concurrent sends) and no thread per
 * socket, so idle connections cost only this object. A client too slow to keep up is disconnected; it resumes
 * from its last sequence and loses nothing.
 */
final class Outbound {
    static final int MAX_QUEUED = 20_000;

    private final Session session;
    private final Queue<String> queue = new ArrayDeque<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean closed;

    Outbound(Session session) {
        this.session = session;
    }

    void send(String frame) {
        if (closed) return;
        if (queued.incrementAndGet() > MAX_QUEUED) {
            closed = true;
            session.close(1013, "Too slow: reconnect and resume", Callback.NOOP);
            return;
        }
        synchronized (queue) {
            queue.add(frame);
        }
        pump();
    }

    private void pump() {
        while (!closed) {
            if (!sending.compareAndSet(false, true)) return;
            String frame;
            synchronized (queue) {
                frame = queue.poll();
            }
            if (frame == null) {
                sending.set(false);
                boolean more;
                synchronized (queue) {
                    more = !queue.isEmpty();
                }
                if (more) continue;
                return;
            }
            queued.decrementAndGet();
            // Whichever of this thread and the callback comes second goes on pumping: no recursion, no stall.
            AtomicBoolean handOff = new AtomicBoolean();
            session.sendText(frame, Callback.from(() -> {
                sending.set(false);
                if (handOff.getAndSet(true)) pump();
            }, failure -> {
                closed = true;
                sending.set(false);
            }));
            if (!handOff.getAndSet(true)) return;
        }
    }

    void close() {
        closed = true;
    }
}
