package app.parley.push;

/**
 * Whether an agent has a dashboard tab open (on this node, or on another live node of several): such an agent sees
 * and hears the chat there, and a push to their phone would only repeat it. Filled by the composition root from the
 * live sockets and the tabs counted per node.
 */
@FunctionalInterface
public interface OpenTabs {
    boolean open(long accountId, long agentId);
}
