package app.parley.conversation;

import app.parley.account.Role;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.account.Viewer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/PRODUCT.md §1.1: who may resolve. */
class ResolvePolicyTest {
    static Viewer as(Role role, boolean active) {
        return new Viewer(1, 1, role, active, Set.of());
    }

    @Test
    void assignedAgentMayResolve() {
        assertThat(ResolvePolicy.mayResolve(as(Role.AGENT, true), Set.of(1L))).isTrue();
    }

    @Test
    void unassignedLimitedAgentMayNot() {
        assertThat(ResolvePolicy.mayResolve(as(Role.AGENT, true), Set.of(2L))).isFalse();
        assertThat(ResolvePolicy.mayResolve(as(Role.AGENT, true), Set.of())).isFalse();
    }

    @Test
    void adminAndOwnerMayResolveAnything() {
        assertThat(ResolvePolicy.mayResolve(as(Role.ADMIN, true), Set.of(2L))).isTrue();
        assertThat(ResolvePolicy.mayResolve(as(Role.OWNER, true), Set.of())).isTrue();
    }

    @Test
    void inactiveAgentMayNotEvenIfAssigned() {
        assertThat(ResolvePolicy.mayResolve(as(Role.AGENT, false), Set.of(1L))).isFalse();
        assertThat(ResolvePolicy.mayResolve(as(Role.ADMIN, false), Set.of())).isFalse();
    }

    @Test
    void resolvingAnUnassignedConversationAssignsTheResolver() {
        assertThat(ResolvePolicy.resolverBecomesAssignee(Set.of())).isTrue();
        assertThat(ResolvePolicy.resolverBecomesAssignee(Set.of(2L))).isFalse();
    }
}
