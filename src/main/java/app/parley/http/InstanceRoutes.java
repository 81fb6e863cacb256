package app.parley.http;

import app.parley.core.Refusal;
import app.parley.instance.Instance;
import app.parley.instance.InstanceSettings;
import app.parley.realtime.SuspendedAccounts;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The instance administrator's API (docs/API.md, "Instance administration"): accounts created, listed, suspended
 * and deleted by whoever holds {@code PARLEY_INSTANCE_SECRET}. No agent, owner or API token reaches it.
 */
public final class InstanceRoutes {
    record CreateAccount(String name, String owner_email, String owner_name, String owner_password) {}

    record DeleteAccount(String confirm) {}

    private final Instance instance;
    private final InstanceSettings settings;
    private final SuspendedAccounts suspended;
    // Wrong secrets are throttled per client address (over all nodes), so the secret cannot be guessed at speed.
    private final Throttle failures;

    public InstanceRoutes(Instance instance, InstanceSettings settings, SuspendedAccounts suspended, Throttles throttles) {
        this.instance = instance;
        this.settings = settings;
        this.suspended = suspended;
        this.failures = throttles.shared("instance-secret", 20, Duration.ofMinutes(1));
    }

    /** What a suspended account's chat box is told: a refusal it can show, not an error. */
    public static Refusal chatUnavailable() {
        return new Refusal(Refusal.Kind.FORBIDDEN, "chat_unavailable", "Chat is not available on this site at the moment.");
    }

    public void register(RoutesConfig r) {
        r.get("/instance/accounts", ctx -> {
            guard(ctx);
            ctx.json(Map.of("items", instance.accounts().stream().map(InstanceRoutes::view).toList()));
        });
        r.post("/instance/accounts", ctx -> {
            guard(ctx);
            CreateAccount in = Http.body(ctx, CreateAccount.class);
            Instance.Created c = instance.createAccount(in.name(), in.owner_email(), in.owner_name(), in.owner_password());
            Http.json(ctx, 201, view(instance.account(c.accountId())));
        });
        r.get("/instance/accounts/{account_id}", ctx -> {
            guard(ctx);
            ctx.json(view(instance.account(Http.pathId(ctx, "account_id"))));
        });
        r.post("/instance/accounts/{account_id}/suspend", ctx -> {
            guard(ctx);
            long id = Http.pathId(ctx, "account_id");
            Instance.Summary s = instance.suspend(id);
            // This node's sockets of the account close at once (other nodes' within a second).
            suspended.refresh();
            ctx.json(view(s));
        });
        r.post("/instance/accounts/{account_id}/unsuspend", ctx -> {
            guard(ctx);
            Instance.Summary s = instance.unsuspend(Http.pathId(ctx, "account_id"));
            suspended.refresh();
            ctx.json(view(s));
        });
        r.delete("/instance/accounts/{account_id}", ctx -> {
            guard(ctx);
            long id = Http.pathId(ctx, "account_id");
            String confirm = ctx.queryParam("confirm");
            if (confirm == null && !ctx.body().isBlank()) confirm = Http.body(ctx, DeleteAccount.class).confirm();
            instance.delete(id, confirm);
            suspended.refresh();
            ctx.status(204);
        });
    }

    private void guard(Context ctx) {
        if (!settings.enabled()) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "instance_admin_disabled",
                    "Instance administration is turned off: set PARLEY_INSTANCE_SECRET to use it.");
        }
        String address = ctx.ip();
        String header = ctx.header("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        boolean ok = MessageDigest.isEqual(digest(given), digest(settings.secret()));
        if (!ok) {
            failures.check("instance:" + address);
            throw new Refusal(Refusal.Kind.UNAUTHENTICATED, "invalid_instance_secret",
                    "Send the instance secret as 'Authorization: Bearer <PARLEY_INSTANCE_SECRET>'.");
        }
    }

    // Compared as digests: equal lengths, so the comparison's time tells nothing of the secret's length either.
    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> view(Instance.Summary s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("name", s.name());
        out.put("chat_key", s.chatKey());
        out.put("owner_email", s.ownerEmail());
        out.put("created_at", s.createdAt());
        out.put("suspended", s.suspended());
        out.put("suspended_at", s.suspendedAt());
        out.put("agents", s.agents());
        out.put("conversations", s.conversations());
        return out;
    }
}
