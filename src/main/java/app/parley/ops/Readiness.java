package app.parley.ops;

import java.util.function.BooleanSupplier;

/**
 * Whether this node should get traffic (ready) and whether it should be left running (live). Ready needs the
 * database and a node that is not draining; live needs only the process and its journal writer, so that a
 * database outage makes a load balancer look elsewhere but never makes an orchestrator restart every node.
 */
public final class Readiness {
    /** Why a node is not ready; {@code code} is the refusal's stable code. */
    public enum NotReady {
        DRAINING("draining", "This node is stopping; send requests to another one."),
        DATABASE_DOWN("unavailable", "The database is down; Parley is waiting for it to come back.");

        public final String code;
        public final String message;

        NotReady(String code, String message) {
            this.code = code;
            this.message = message;
        }
    }

    private final BooleanSupplier databaseAvailable;
    private final BooleanSupplier journalAlive;
    private volatile boolean draining;
    private volatile boolean stopping;

    public Readiness(BooleanSupplier databaseAvailable, BooleanSupplier journalAlive) {
        this.databaseAvailable = databaseAvailable;
        this.journalAlive = journalAlive;
    }

    /**
     * An operator's choice (POST /ops/drain): while true the node answers "not ready" and keeps serving what still
     * reaches it; false takes it back (a node drained by mistake), unless the node is already stopping.
     */
    public void drain(boolean on) {
        draining = on;
    }

    /** The node is stopping: "not ready" for good. */
    public void stop() {
        stopping = true;
    }

    public boolean draining() {
        return draining || stopping;
    }

    public boolean live() {
        return journalAlive.getAsBoolean();
    }

    /** Null when ready; draining is told first, as it is the operator's doing and lasts. */
    public NotReady notReady() {
        if (draining()) return NotReady.DRAINING;
        if (!databaseAvailable.getAsBoolean()) return NotReady.DATABASE_DOWN;
        return null;
    }
}
