package app.parley.http;

import app.parley.account.AccountQueries;
import app.parley.account.Auth;
import app.parley.account.Caller;
import app.parley.core.Refusal;
import app.parley.settings.AccountSettings;
import app.parley.settings.ChatBoxSettings;
import app.parley.settings.FirstRun;
import app.parley.settings.Images;
import app.parley.settings.OfficeHours;
import app.parley.settings.OfficeHoursBook;
import app.parley.settings.Profile;
import app.parley.settings.Shortcuts;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Account settings, the chat box's settings, "My profile" and the images they show (docs/API.md, "Settings"). */
public final class SettingsRoutes {
    record ImageRequest(String image) {}

    record PasswordRequest(String currentPassword, String newPassword) {}

    private final Auth auth;
    private final AccountQueries accounts;
    private final AccountSettings settings;
    private final Profile profile;
    private final Images images;
    private final OfficeHoursBook hours;
    private final Shortcuts shortcuts;
    private final FirstRun firstRun;
    private final Throttle calls;
    private final Throttle passwordTries;

    public SettingsRoutes(Auth auth, AccountQueries accounts, AccountSettings settings, Profile profile, Images images,
                          OfficeHoursBook hours, Shortcuts shortcuts, FirstRun firstRun, Throttles throttles) {
        this.calls = throttles.shared("settings-calls", 120, Duration.ofSeconds(6));
        this.passwordTries = throttles.shared("password-tries", 10, Duration.ofMinutes(1));
        this.firstRun = firstRun;
        this.hours = hours;
        this.shortcuts = shortcuts;
        this.auth = auth;
        this.accounts = accounts;
        this.settings = settings;
        this.profile = profile;
        this.images = images;
    }

    public void register(RoutesConfig r) {
        r.get("/v2/account/settings", ctx -> ctx.json(settings.get(caller(ctx).accountId())));
        r.patch("/v2/account/settings", ctx -> ctx.json(settings.update(caller(ctx), Http.body(ctx, AccountSettings.Patch.class))));
        r.put("/v2/account/logo", ctx -> {
            Caller c = caller(ctx);
            ctx.json(settings.setLogo(c, Http.body(ctx, ImageRequest.class).image(), origin(ctx)));
        });
        r.delete("/v2/account/logo", ctx -> ctx.json(settings.removeLogo(caller(ctx))));
        r.get("/v2/account/chat-box", ctx -> ctx.json(settings.chatBox(caller(ctx).accountId())));
        r.put("/v2/account/chat-box", ctx -> {
            Caller c = caller(ctx);
            ctx.json(settings.saveChatBox(c, Http.body(ctx, ChatBoxSettings.class)));
        });

        r.get("/v2/account/office-hours", ctx -> ctx.json(hours.get(caller(ctx).accountId(), null).normalised()));
        r.put("/v2/account/office-hours", ctx -> {
            Caller c = caller(ctx);
            ctx.json(hours.save(c, null, Http.body(ctx, OfficeHours.class)));
        });
        r.get("/v2/groups/{group_id}/office-hours", ctx -> {
            Caller c = caller(ctx);
            long group = Http.pathId(ctx, "group_id");
            if (accounts.groups(c.accountId()).stream().noneMatch(g -> g.id() == group)) throw Refusal.notFound("The group");
            OfficeHours own = hours.get(c.accountId(), group);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("own", own != null);
            out.put("hours", (own != null ? own : hours.get(c.accountId(), null)).normalised());
            ctx.json(out);
        });
        r.put("/v2/groups/{group_id}/office-hours", ctx -> {
            Caller c = caller(ctx);
            ctx.json(hours.save(c, Http.pathId(ctx, "group_id"), Http.body(ctx, OfficeHours.class)));
        });
        r.delete("/v2/groups/{group_id}/office-hours", ctx -> {
            hours.removeGroupHours(caller(ctx), Http.pathId(ctx, "group_id"));
            ctx.status(204);
        });

        r.get("/v2/account/first-run", ctx -> {
            Caller c = caller(ctx);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("visitors_have_written", firstRun.visitorsHaveWritten(c.accountId()));
            out.put("demo_url", "/demo/shop.html?key=" + accounts.account(c.accountId()).chatKey());
            ctx.json(out);
        });
        r.get("/v2/shortcuts", ctx -> ctx.json(Map.of("items", shortcuts.list(caller(ctx)))));
        r.post("/v2/shortcuts", ctx -> {
            Caller c = caller(ctx);
            Http.json(ctx, 201, shortcuts.create(c, Http.body(ctx, Shortcuts.Request.class)));
        });
        r.patch("/v2/shortcuts/{shortcut_id}", ctx -> {
            Caller c = caller(ctx);
            ctx.json(shortcuts.update(c, Http.pathId(ctx, "shortcut_id"), Http.body(ctx, Shortcuts.Request.class)));
        });
        r.delete("/v2/shortcuts/{shortcut_id}", ctx -> {
            shortcuts.delete(caller(ctx), Http.pathId(ctx, "shortcut_id"));
            ctx.status(204);
        });

        r.get("/v2/me/preferences", ctx -> ctx.json(profile.preferences(caller(ctx).agent().id())));
        r.patch("/v2/me/preferences", ctx -> {
            Caller c = caller(ctx);
            ctx.json(profile.updatePreferences(c.agent().id(), Http.body(ctx, Profile.PreferencesPatch.class)));
        });
        r.put("/v2/me/avatar", ctx -> {
            Caller c = caller(ctx);
            ctx.json(profile.setAvatar(c.agent(), Http.body(ctx, ImageRequest.class).image(), origin(ctx)));
        });
        r.delete("/v2/me/avatar", ctx -> ctx.json(profile.removeAvatar(caller(ctx).agent())));
        r.post("/v2/me/password", ctx -> {
            Caller c = caller(ctx);
            if (c.viaToken()) throw Refusal.forbidden("Change a password from the dashboard, not with an API token.");
            PasswordRequest p = Http.body(ctx, PasswordRequest.class);
            passwordTries.check("agent:" + c.agent().id());
            profile.changePassword(c.agent(), ctx.cookie(Http.SESSION_COOKIE), p.currentPassword(), p.newPassword());
            ctx.status(204);
        });

        r.get("/images/{token}", ctx -> {
            Images.Image image = images.get(ctx.pathParam("token")).orElseThrow(() -> Refusal.notFound("The image"));
            // Only raster types recognised by their bytes are ever stored; the headers make sure nothing else runs.
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
            ctx.header("Content-Disposition", "inline; filename=\"image\"");
            ctx.header("Cross-Origin-Resource-Policy", "cross-origin");
            ctx.contentType(image.contentType()).result(image.bytes());
        });
    }

    /** The chat box's settings as GET /widget/config adds them (the page's own _smartsupp keys still win there). */
    public Map<String, Object> widgetConfig(long accountId) {
        AccountSettings.View account = settings.get(accountId);
        ChatBoxSettings box = settings.chatBox(accountId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("logo_url", account.logoUrl());
        out.put("language", account.language());
        out.put("color", box.color());
        out.put("position", box.position());
        out.put("offset_x", box.offsetX());
        out.put("offset_y", box.offsetY());
        out.put("greetings", box.greetings());
        out.put("offline_texts", box.offlineTexts());
        out.put("rating_enabled", box.ratingEnabled());
        out.put("pre_chat_form", box.preChatForm());
        out.put("show_on_mobile", box.showOnMobile());
        if (box.groupKeys() != null) {
            out.put("groups", accounts.groups(accountId).stream().filter(g -> box.groupKeys().contains(g.key()))
                    .map(g -> Map.of("key", g.key(), "name", g.name())).toList());
        }
        return out;
    }

    private Caller caller(Context ctx) {
        Caller c = Http.caller(ctx, auth);
        calls.check((c.viaToken() ? "token:" : "agent:") + c.agent().id());
        return c;
    }

    /** Parley's address as the caller reached it: images are shown in shops' pages, so their URLs are absolute. */
    private static String origin(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }
}
