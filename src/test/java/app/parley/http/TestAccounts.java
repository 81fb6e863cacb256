package app.parley.http;

import app.parley.account.Passwords;
import app.parley.account.Tokens;
import app.parley.testing.TestParley;

/** More shops on the same Parley, made directly in SQL: Parley itself creates only the first account. */
final class TestAccounts {
    record Created(long accountId, String chatKey, long ownerId, String ownerEmail, String ownerPassword) {}

    private TestAccounts() {}

    static Created create(TestParley app, String name, String ownerEmail, String ownerPassword) {
        String key = Tokens.random(16);
        String hash = Passwords.hash(ownerPassword);
        return app.parley().database().jdbi().inTransaction(h -> {
            long account = h.createQuery("INSERT INTO accounts (name, chat_key) VALUES (:n, :k) RETURNING id")
                    .bind("n", name).bind("k", key).mapTo(Long.class).one();
            long owner = h.createQuery("""
                            INSERT INTO agents (account_id, email, name, role, password_hash)
                            VALUES (:a, :e, 'Other Owner', 'owner', :h) RETURNING id""")
                    .bind("a", account).bind("e", ownerEmail).bind("h", hash).mapTo(Long.class).one();
            return new Created(account, key, owner, ownerEmail, ownerPassword);
        });
    }
}
