package app.parley.realtime;

import app.parley.account.Viewer;
import app.parley.conversation.ConversationTab;
import app.parley.store.Event;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A connected socket, agent's or visitor's. While it catches up from the log it holds live events back and then
 * drops those it already sent, so every event reaches it once and in order.
 */
public final class Client {
    private final Outbound out;
    private final long accountId;
    private final Viewer viewer;
    private final Long visitorId;
    private List<Event> heldBack = new ArrayList<>();
    private volatile Long groupId;
    private long lastSeq;
    private Long watching;
    private java.time.Instant watchingSince;
    private boolean left;

    private Client(Session session, long accountId, Viewer viewer, Long visitorId) {
        this.out = new Outbound(session);
        this.accountId = accountId;
        this.viewer = viewer;
        this.visitorId = visitorId;
    }

    public static Client agent(Session session, Viewer viewer) {
        return new Client(session, viewer.accountId(), viewer, null);
    }

    public static Client visitor(Session session, long accountId, long visitorId) {
        return new Client(session, accountId, null, visitorId);
    }

    public long accountId() {
        return accountId;
    }

    public Long visitorId() {
        return visitorId;
    }

    public Viewer viewer() {
        return viewer;
    }

    /** A visitor's group, for the chat box's online status. */
    public Long groupId() {
        return groupId;
    }

    public void groupId(Long groupId) {
        this.groupId = groupId;
    }

    public boolean isAgent() {
        return viewer != null;
    }

    /** Whether this client may see the event at all. */
    boolean maySee(Event e) {
        if (e.accountId() != accountId) return false;
        if (isAgent()) return e.agentPayload() != null && Visibility.sees(viewer, e);
        return e.visitorPayload() != null && visitorId.equals(e.visitorId());
    }

    synchronized void deliver(Event e) {
        if (heldBack != null) {
            heldBack.add(e);
            return;
        }
        if (e.seq() <= lastSeq) return;
        lastSeq = e.seq();
        out.send(isAgent() ? agentFrame(e, ConversationTab.Facts.of(e.placement())) : e.visitorFrame());
    }

    /**
     * A conversation summary names the tabs it is in for this agent (docs/PROTOCOL.md): worked out here from the
     * event's facts, by the rule the lists use, so the dashboard never keeps a copy of it. No query, no parsing.
     */
    private String agentFrame(Event e, ConversationTab.Facts facts) {
        return facts == null ? e.agentFrame() : e.agentFrame(ConversationTab.member(facts, viewer));
    }

    /**
     * Ends catching up: {@code frames} were read from the log as of sequence {@code asOf} (the welcome first);
     * the live events held back meanwhile are sent after them, except those the log already covered.
     */
    public synchronized void caughtUp(long asOf, List<String> frames, List<Event> backlog) {
        for (String f : frames) out.send(f);
        // Events read back from the log keep no facts: a summary's own payload holds them (status, group, assignees).
        for (Event e : backlog) out.send(isAgent() ? agentFrame(e, ConversationTab.Facts.ofLogged(e)) : e.visitorFrame());
        lastSeq = asOf;
        List<Event> held = heldBack;
        heldBack = null;
        for (Event e : held) deliver(e);
    }

    /** A reply outside the log (ack, error, pong): sent at once. */
    public void sendNow(String frame) {
        out.send(frame);
    }

    /**
     * A signal about now (typing, tab counts, chat status): dropped while the client is still catching up,
     * because its welcome carries the same state and nothing may come before the welcome.
     */
    public synchronized void signal(String frame) {
        if (heldBack == null) out.send(frame);
    }

    void closed() {
        synchronized (this) {
            left = true;
        }
        out.close();
    }

    /**
     * The visitor whose card this agent's dashboard shows, now {@code visitorId} (null: none); returns the one
     * before. A client that has left watches nothing: a late watch frame cannot put it back in the hub's index.
     */
    synchronized Long watch(Long visitorId) {
        Long before = watching;
        watching = left ? null : visitorId;
        if (!java.util.Objects.equals(before, watching)) watchingSince = java.time.Instant.now();
        return before;
    }

    /** Since when this dashboard shows the card it shows now. */
    synchronized java.time.Instant watchingSince() {
        return watchingSince;
    }

    synchronized Long watching() {
        return watching;
    }

    /** Closes the socket with a close code the client acts on (signed out, access ended, reconnect). */
    public boolean end(int code, String reason) {
        return out.end(code, reason);
    }
}
