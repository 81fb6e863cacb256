package app.parley.http;

import app.parley.account.AccessChanges;
import app.parley.instance.Instance;
import app.parley.testing.TestParley;

/** More shops on the same Parley, made as the instance administrator makes them (issue #15 point 7). */
final class TestAccounts {
    record Created(long accountId, String chatKey, long ownerId, String ownerEmail, String ownerPassword) {}

    private TestAccounts() {}

    static Created create(TestParley app, String name, String ownerEmail, String ownerPassword) {
        Instance.Created c = new Instance(app.parley().database().jdbi(), AccessChanges.NONE)
                .createAccount(name, ownerEmail, "Other Owner", ownerPassword);
        return new Created(c.accountId(), c.chatKey(), c.ownerId(), c.ownerEmail(), ownerPassword);
    }
}
