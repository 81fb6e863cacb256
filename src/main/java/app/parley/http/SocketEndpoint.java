package app.parley.http;

import app.parley.realtime.Client;
import app.parley.realtime.Hub;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What both sockets share: a connection per Jetty session, joined to the hub on connect and left on close. */
abstract class SocketEndpoint<C> {
    private static final Logger log = LoggerFactory.getLogger(SocketEndpoint.class);

    protected final Hub hub;
    private final Map<String, C> conns = new ConcurrentHashMap<>();
    private volatile app.parley.realtime.SuspendedAccounts suspended;

    SocketEndpoint(Hub hub) {
        this.hub = hub;
    }

    public final void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            try {
                connect(ctx);
            } catch (RuntimeException e) {
                // The client reconnects and resumes; it must not wait on a socket that will never speak.
                log.error("A {} could not start", getClass().getSimpleName(), e);
                drop(ctx.sessionId());
                ctx.closeSession(1011, "Server error; reconnect");
            }
        });
        ws.onMessage(ctx -> {
            C c = conns.get(ctx.sessionId());
            if (c == null) return;
            // Issue #15: no frame of a suspended account is taken, whichever node or tool suspended it.
            if (suspended != null && suspended.contains(client(c).accountId())) {
                client(c).end(app.parley.realtime.SuspendedAccounts.closeCode(client(c)), "Account suspended");
                return;
            }
            receive(c, ctx.message());
        });
        ws.onClose(ctx -> drop(ctx.sessionId()));
        ws.onError(ctx -> drop(ctx.sessionId()));
    }

    /** Frames of these accounts are refused and their sockets closed. */
    public final void refuseSuspended(app.parley.realtime.SuspendedAccounts accounts) {
        this.suspended = accounts;
    }

    /** The open connections of this node. */
    protected final java.util.Collection<C> connections() {
        return conns.values();
    }

    /** Registers the connection and joins its client to the hub, before the client catches up. */
    protected final void register(WsContext ctx, C conn) {
        conns.put(ctx.sessionId(), conn);
        hub.join(client(conn));
    }

    private void drop(String sessionId) {
        C c = conns.remove(sessionId);
        if (c != null) {
            hub.leave(client(c));
            dropped(c);
        }
    }

    /** The connection closed, for whatever reason. */
    protected void dropped(C conn) {}

    protected abstract void connect(WsContext ctx);

    protected abstract void receive(C conn, String frame);

    protected abstract Client client(C conn);
}
