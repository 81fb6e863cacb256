package app.parley.realtime;

import app.parley.account.Viewer;
import app.parley.store.Event;

/** Which committed events reach which agent: the agent's scope (docs/PRODUCT.md §1.2) applied to an event's groups. */
public final class Visibility {
    private Visibility() {}

    /** Whether the agent sees the event: they see its group or one of its other groups. */
    public static boolean sees(Viewer viewer, Event event) {
        return viewer.sees(event.groupId())
                || event.otherGroupIds() != null && event.otherGroupIds().stream().anyMatch(viewer::sees);
    }
}
