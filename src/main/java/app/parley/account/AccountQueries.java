package app.parley.account;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** What routes and sockets read of an account: the account itself, its agents, groups, tags and identity secret. */
public final class AccountQueries {
    private final Jdbi jdbi;

    public AccountQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The caller's own account: it exists while they are signed in. */
    public Account account(long accountId) {
        return jdbi.withHandle(h -> Agents.account(h, accountId).orElseThrow());
    }

    /** The account whose chat box has this key. */
    public Optional<Account> byChatKey(String key) {
        return jdbi.withHandle(h -> Agents.accountByKey(h, key));
    }

    /** A suspended account's chat box is refused with "chat unavailable", not as an unknown key. */
    public boolean suspended(long accountId) {
        return jdbi.withHandle(h -> Agents.suspended(h, accountId));
    }

    public List<Agent> agents(long accountId) {
        return jdbi.withHandle(h -> Agents.ofAccount(h, accountId));
    }

    public Optional<Agent> agent(long accountId, long agentId) {
        return jdbi.withHandle(h -> Agents.inAccount(h, accountId, agentId));
    }

    public List<Team.GroupView> groups(long accountId) {
        return jdbi.withHandle(h -> Team.groups(h, accountId));
    }

    /** The id of the account's group with this key (a chat box routed by smartsupp('group', KEY)), or null. */
    public Long groupId(long accountId, String key) {
        return key == null ? null : jdbi.withHandle(h -> Team.groupId(h, accountId, key));
    }

    public List<Team.TagView> tags(long accountId) {
        return jdbi.withHandle(h -> Team.tags(h, accountId));
    }

    public String identitySecret(long accountId) {
        return jdbi.withHandle(h -> IdentitySecret.of(h, accountId));
    }

    public String rotateIdentitySecret(long accountId) {
        return jdbi.withHandle(h -> IdentitySecret.rotate(h, accountId));
    }
}
