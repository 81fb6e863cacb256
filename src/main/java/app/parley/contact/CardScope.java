package app.parley.contact;

import app.parley.account.Viewer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Who sees a visitor or a contact: the agents who see at least one of its conversations (docs/PRODUCT.md §1.2, by
 * {@link Viewer#sees}), so a limited agent learns nothing of visitors outside their groups. A visitor who has not
 * written yet counts with the group their first conversation would get (the page's {@code group}).
 *
 * @param groupIds the groups of those conversations, latest conversation's first; null stands for "no group",
 *                 which every agent sees
 */
public record CardScope(List<Long> groupIds) {

    public boolean seenBy(Viewer viewer) {
        return groupIds.stream().anyMatch(viewer::sees);
    }

    /** The group an event about the card carries: the latest conversation's, or none when every agent sees it. */
    public Long eventGroup() {
        return everyone() ? null : groupIds.getFirst();
    }

    /** The event's other groups, so that an agent of any of them gets the event, and only once. */
    public List<Long> otherEventGroups() {
        return everyone() ? List.of() : groupIds.subList(1, groupIds.size());
    }

    private boolean everyone() {
        return groupIds.contains(null);
    }

    public static CardScope ofVisitor(Handle h, long visitorId) {
        List<Long> groups = h.createQuery("""
                        SELECT group_id FROM conversations WHERE visitor_id = :v ORDER BY id DESC""")
                .bind("v", visitorId).mapTo(Long.class).list();
        if (groups.isEmpty()) groups = h.createQuery("""
                        SELECT g.id FROM visitors v LEFT JOIN groups g ON g.account_id = v.account_id AND g.key = v.group_key
                        WHERE v.id = :v""")
                .bind("v", visitorId).mapTo(Long.class).list();
        return of(groups);
    }

    /** {@link #ofVisitor} for many visitors in two queries (the live browsing history's fan-out per batch). */
    public static java.util.Map<Long, CardScope> ofVisitors(Handle h, java.util.Collection<Long> visitorIds) {
        Long[] ids = visitorIds.toArray(Long[]::new);
        java.util.Map<Long, List<Long>> groups = new java.util.HashMap<>();
        h.createQuery("""
                        SELECT visitor_id, group_id FROM conversations WHERE visitor_id = ANY(:v) ORDER BY visitor_id, id DESC""")
                .bindArray("v", Long.class, ids)
                .map((rs, ctx) -> { groups.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add((Long) rs.getObject(2)); return 0; })
                .list();
        Long[] rest = visitorIds.stream().filter(v -> !groups.containsKey(v)).toArray(Long[]::new);
        if (rest.length > 0) h.createQuery("""
                        SELECT v.id, g.id FROM visitors v LEFT JOIN groups g ON g.account_id = v.account_id AND g.key = v.group_key
                        WHERE v.id = ANY(:v)""")
                .bindArray("v", Long.class, rest)
                .map((rs, ctx) -> { groups.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add((Long) rs.getObject(2)); return 0; })
                .list();
        java.util.Map<Long, CardScope> out = new java.util.HashMap<>();
        for (Long v : visitorIds) out.put(v, of(groups.getOrDefault(v, new ArrayList<>())));
        return out;
    }

    public static CardScope ofContact(Handle h, long contactId) {
        List<Long> groups = new ArrayList<>(h.createQuery("""
                        SELECT group_id FROM conversations WHERE contact_id = :c ORDER BY id DESC""")
                .bind("c", contactId).mapTo(Long.class).list());
        groups.addAll(h.createQuery("""
                        SELECT g.id FROM visitors v LEFT JOIN groups g ON g.account_id = v.account_id AND g.key = v.group_key
                        WHERE v.contact_id = :c AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.visitor_id = v.id)""")
                .bind("c", contactId).mapTo(Long.class).list());
        return of(groups);
    }

    private static CardScope of(List<Long> groups) {
        // Nothing to go by (a contact an agent made by hand): like a conversation of no group.
        if (groups.isEmpty()) return new CardScope(java.util.Collections.singletonList(null));
        return new CardScope(new ArrayList<>(new LinkedHashSet<>(groups)));
    }
}
