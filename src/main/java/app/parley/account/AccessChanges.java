package app.parley.account;

/**
 * Told, right after the commit, that some agent's access in an account may have ended or changed (logout, a
 * revoked token, deactivation, a new role or groups), so that whatever holds it open is checked again at once.
 */
@FunctionalInterface
public interface AccessChanges {
    AccessChanges NONE = accountId -> {};

    void recheck(long accountId);
}
