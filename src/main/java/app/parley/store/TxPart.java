package app.parley.store;

/** Writes a command buffers in a batch, sent together with the other parts' in one round trip. */
public interface TxPart {
    /** Adds what is buffered to {@code out} and forgets it. */
    void flush(Flush out);

    /** The batch committed: what the part wrote is now what PostgreSQL holds. */
    default void committed() {}
}
