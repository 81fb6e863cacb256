package app.parley.settings;

import org.jdbi.v3.core.Jdbi;

/** Whether the account is new: no visitor has written yet, so the inbox shows the first-run guide. */
public final class FirstRun {
    private final Jdbi jdbi;

    public FirstRun(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** True once any conversation exists in the account (a visitor wrote, or an agent started one). */
    public boolean visitorsHaveWritten(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM conversations WHERE account_id = :a)")
                .bind("a", accountId).mapTo(Boolean.class).one());
    }
}
