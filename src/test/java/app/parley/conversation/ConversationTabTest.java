package app.parley.conversation;

import app.parley.account.Role;
import static app.parley.conversation.ConversationTab.ALL;
import static app.parley.conversation.ConversationTab.MINE;
import static app.parley.conversation.ConversationTab.NEW;
import static app.parley.conversation.ConversationTab.PRIMARY;
import static app.parley.conversation.ConversationTab.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.account.Viewer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/PRODUCT.md §1.2, rule by rule. */
class ConversationTabTest {
    static final long ME = 1, OTHER = 2, GROUP_A = 10, GROUP_B = 20;

    static Viewer agent(Long... groups) {
        return new Viewer(ME, 1, Role.AGENT, true, Set.of(groups));
    }

    static Viewer admin(Long... groups) {
        return new Viewer(ME, 1, Role.ADMIN, true, Set.of(groups));
    }

    static ConversationTab.Facts open(Long group, Long... assignees) {
        return new ConversationTab.Facts(true, group, Set.of(assignees));
    }

    static ConversationTab.Facts resolved(Long group, Long... assignees) {
        return new ConversationTab.Facts(false, group, Set.of(assignees));
    }

    @Test
    void singleAgentAccountShowsAllAndNew() {
        assertThat(ConversationTab.singleAgentAccount(1, 0)).isTrue();
        assertThat(ConversationTab.openTabs(true)).containsExactly(ALL, NEW);
    }

    @Test
    void secondActiveAgentOrAnyGroupMakesFourTabs() {
        assertThat(ConversationTab.singleAgentAccount(2, 0)).isFalse();
        assertThat(ConversationTab.singleAgentAccount(1, 1)).isFalse();
        assertThat(ConversationTab.openTabs(false)).containsExactly(ALL, PRIMARY, NEW, MINE);
    }

    @Test
    void unassignedOpenConversationIsNewAndInPrimaryButNotMine() {
        var c = open(null);
        assertThat(NEW.contains(c, agent())).isTrue();
        assertThat(PRIMARY.contains(c, agent())).isTrue();
        assertThat(MINE.contains(c, agent())).isFalse();
        assertThat(ALL.contains(c, agent())).isTrue();
    }

    @Test
    void joiningMovesItFromNewToMine() {
        var joined = open(null, ME);
        assertThat(NEW.contains(joined, agent())).isFalse();
        assertThat(MINE.contains(joined, agent())).isTrue();
        assertThat(PRIMARY.contains(joined, agent())).isTrue();
    }

    @Test
    void someoneElsesConversationIsInAllOnly() {
        var theirs = open(null, OTHER);
        assertThat(ALL.contains(theirs, agent())).isTrue();
        assertThat(NEW.contains(theirs, agent())).isFalse();
        assertThat(MINE.contains(theirs, agent())).isFalse();
        assertThat(PRIMARY.contains(theirs, agent())).isFalse();
    }

    @Test
    void severalAssigneesEachSeeItInMine() {
        var shared = open(null, ME, OTHER);
        assertThat(MINE.contains(shared, agent())).isTrue();
        assertThat(MINE.contains(shared, new Viewer(OTHER, 1, Role.AGENT, true, Set.of()))).isTrue();
    }

    @Test
    void agentInGroupsSeesOnlyTheirGroupsAndNoGroup() {
        Viewer inA = agent(GROUP_A);
        assertThat(ALL.contains(open(GROUP_A), inA)).isTrue();
        assertThat(ALL.contains(open(null), inA)).isTrue();
        assertThat(ALL.contains(open(GROUP_B), inA)).isFalse();
        assertThat(NEW.contains(open(GROUP_B), inA)).isFalse();
        assertThat(RESOLVED.contains(resolved(GROUP_B), inA)).isFalse();
    }

    @Test
    void agentInNoGroupSeesEveryGroup() {
        assertThat(ALL.contains(open(GROUP_B), agent())).isTrue();
        assertThat(NEW.contains(open(GROUP_B), agent())).isTrue();
    }

    @Test
    void adminSeesAllButNewIsLimitedToTheirGroups() {
        Viewer adminInA = admin(GROUP_A);
        assertThat(ALL.contains(open(GROUP_B), adminInA)).isTrue();
        assertThat(NEW.contains(open(GROUP_B), adminInA)).isFalse();
        assertThat(NEW.contains(open(GROUP_A), adminInA)).isTrue();
    }

    @Test
    void resolvedConversationLeavesEveryOpenTab() {
        var done = resolved(null, ME);
        for (ConversationTab tab : List.of(ALL, PRIMARY, NEW, MINE)) assertThat(tab.contains(done, agent())).isFalse();
        assertThat(RESOLVED.contains(done, agent())).isTrue();
    }
}
