package app.parley.http;

import app.parley.account.Auth;
import app.parley.account.Caller;
import app.parley.core.Refusal;
import app.parley.push.PushDevices;
import app.parley.push.PushKeys;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;

/**
 * Web Push (docs/API.md, "Push notifications"): the server's VAPID public key, and the signed-in agent's own devices
 * (subscribe, list, turn off, send a test). A device belongs to a person: API tokens have none.
 */
public final class PushRoutes {
    record Keys(String p256dh, String auth) {}

    record SubscribeRequest(String endpoint, Keys keys, String label) {}

    private final Auth auth;
    private final PushKeys keys;
    private final PushDevices devices;
    private final Throttle calls;
    private final Throttle tests;

    public PushRoutes(Auth auth, PushKeys keys, PushDevices devices, Throttles throttles) {
        this.calls = throttles.shared("push-calls", 120, Duration.ofMinutes(1));
        this.tests = throttles.shared("push-tests", 5, Duration.ofMinutes(1));
        this.auth = auth;
        this.keys = keys;
        this.devices = devices;
    }

    public void register(RoutesConfig r) {
        r.get("/v2/me/push", ctx -> {
            Caller c = person(ctx);
            ctx.json(Map.of("public_key", keys.applicationServerKey(), "devices", devices.list(c.agent().id())));
        });
        r.post("/v2/me/push/devices", ctx -> {
            Caller c = person(ctx);
            SubscribeRequest in = Http.body(ctx, SubscribeRequest.class);
            Keys k = in.keys() == null ? new Keys(null, null) : in.keys();
            Http.json(ctx, 201, devices.subscribe(c.accountId(), c.agent().id(), in.endpoint(), k.p256dh(), k.auth(), in.label()));
        });
        r.delete("/v2/me/push/devices/{device_id}", ctx -> {
            Caller c = person(ctx);
            devices.remove(c.agent().id(), Http.pathId(ctx, "device_id"));
            ctx.status(204);
        });
        r.post("/v2/me/push/devices/{device_id}/test", ctx -> {
            Caller c = person(ctx);
            tests.check("push-test:" + c.agent().id());
            devices.test(c.agent().id(), Http.pathId(ctx, "device_id"));
            Http.json(ctx, 202, Map.of("queued", true));
        });
    }

    private Caller person(Context ctx) {
        Caller c = Http.caller(ctx, auth);
        calls.check("push:" + c.agent().id());
        if (c.viaToken()) throw Refusal.forbidden("Push notifications belong to a signed-in agent's devices, not to an API token.");
        return c;
    }
}
