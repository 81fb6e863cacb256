package app.parley.realtime;

import org.jdbi.v3.core.Handle;

/** Writes a command buffers in a transaction and sends in one round trip before the commit. */
public interface TxPart {
    void flush(Handle handle);
}
