package app.parley.tracking;

/** The visitors list's filters (docs/PRODUCT.md §3). */
public enum VisitorFilter {
    ALL, ACTIVE, IN_CHAT, CUSTOMERS, BLOCKED;

    /** The filter a query parameter names, or null. */
    public static VisitorFilter parse(String s) {
        if (s == null) return ALL;
        for (VisitorFilter f : values()) if (f.name().equalsIgnoreCase(s)) return f;
        return null;
    }

    String condition() {
        return switch (this) {
            case ALL -> "";
            // docs/PRODUCT.md §3: Active = activity in the last 10 minutes.
            case ACTIVE -> " AND a.last_seen_at > now() - interval '10 minutes'";
            case IN_CHAT -> " AND EXISTS (SELECT 1 FROM conversations c WHERE c.visitor_id = a.visitor_id AND c.status = 'open')";
            case CUSTOMERS -> " AND EXISTS (SELECT 1 FROM visitors i WHERE i.id = a.visitor_id AND i.contact_id IS NOT NULL)";
            case BLOCKED -> " AND a.blocked";
        };
    }
}
