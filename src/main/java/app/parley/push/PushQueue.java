package app.parley.push;

import app.parley.core.Json;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Queues one push job per device of the agents to tell, in the caller's transaction, skipping agents at a dashboard tab. */
final class PushQueue {
    private final OpenTabs tabs;

    PushQueue(OpenTabs tabs) {
        this.tabs = tabs;
    }

    int enqueue(Handle h, long accountId, List<Long> agentIds, Notice notice) {
        List<Long> away = agentIds.stream().distinct().filter(a -> !tabs.open(accountId, a)).toList();
        if (away.isEmpty()) return 0;
        List<Long> devices = h.createQuery("""
                        SELECT d.id FROM push_devices d JOIN agents a ON a.id = d.agent_id AND a.active
                        WHERE d.agent_id = ANY(:a) AND d.account_id = :acc ORDER BY d.id""")
                .bindArray("a", Long.class, away).bind("acc", accountId).mapTo(Long.class).list();
        for (long device : devices) {
            ObjectNode p = Json.object();
            p.put("device_id", device);
            p.set("notice", Json.tree(notice.json()));
            Jobs.enqueue(h, PushSend.KIND, null, Json.write(p), null);
        }
        return devices.size();
    }
}
