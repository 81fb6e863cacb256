package app.parley.account;

import app.parley.store.Tx;

/**
 * What a deleted group means for the rows of other features, done in the deleting transaction (PostgreSQL has
 * already set their group to null; a feature that caches rows forgets it too). Given to {@link Team} by the
 * composition root, so account needs no feature above it.
 */
@FunctionalInterface
public interface GroupCleanup {
    void groupDeleted(Tx tx, long groupId);
}
