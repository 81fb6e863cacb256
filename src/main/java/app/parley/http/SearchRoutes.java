package app.parley.http;

import app.parley.account.Auth;
import app.parley.account.Caller;
import app.parley.account.Team;
import app.parley.search.ConversationSearch;
import app.parley.search.SavedSearches;
import app.parley.search.SearchIndex;
import app.parley.search.SearchRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;

/** Search (issue #14): the search itself, an agent's saved searches, and the index's rebuild for admins. */
public final class SearchRoutes {
    private final Auth auth;
    private final ConversationSearch search;
    private final SavedSearches saved;
    private final SearchIndex index;
    private final Throttle calls;

    public SearchRoutes(Auth auth, ConversationSearch search, SavedSearches saved, SearchIndex index, Throttles throttles) {
        this.calls = throttles.shared("search-calls", 600, Duration.ofSeconds(6));
        this.auth = auth;
        this.search = search;
        this.saved = saved;
        this.index = index;
    }

    public void register(RoutesConfig r) {
        r.post("/v2/conversations/search", ctx -> ctx.json(search.run(caller(ctx).viewer(), Http.body(ctx, SearchRequest.class))));
        r.get("/v2/saved-searches", ctx -> ctx.json(java.util.Map.of("items", saved.list(caller(ctx).viewer()))));
        r.post("/v2/saved-searches", ctx -> {
            Caller c = caller(ctx);
            Http.json(ctx, 201, saved.create(c.viewer(), Http.body(ctx, SavedSearches.Create.class)));
        });
        r.delete("/v2/saved-searches/{saved_search_id}", ctx -> {
            saved.delete(caller(ctx).viewer(), Http.pathId(ctx, "saved_search_id"));
            ctx.status(204);
        });
        r.get("/v2/search/index", ctx -> ctx.json(index.status(admin(ctx).accountId())));
        r.post("/v2/search/index/rebuild", ctx -> Http.json(ctx, 202, index.rebuild(admin(ctx).accountId())));
    }

    private Caller caller(Context ctx) {
        Caller c = Http.caller(ctx, auth);
        calls.check((c.viaToken() ? "token:" : "agent:") + c.agent().id());
        return c;
    }

    private Caller admin(Context ctx) {
        Caller c = caller(ctx);
        Team.requireFullAccess(c);
        return c;
    }
}
