package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.core.Json;
import app.parley.testing.TestParley;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-in budgets and the bound on password hashes, under concurrency. Each test signs in from its own loopback
 * address (127.0.0.x), so the per-address budgets of one test do not touch another's.
 */
class ThrottleTest {
    private static final int SIGN_IN_BUDGET = 10;
    private static TestParley app;

    @BeforeAll
    static void start() {
        app = TestParley.start(Map.of("PARLEY_PASSWORD_HASH_CONCURRENCY", "1"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void concurrentWrongPasswordsFromOneAddressSpendAtMostTheBudget() throws Exception {
        HttpClient from = clientFrom("127.0.0.11");
        List<RawHttp.Response> answers = concurrently(25, () -> signIn(from, "wrong-password-1"));

        long wrong = answers.stream().filter(r -> r.status() == 401).count();
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isIn(401, 429));
        assertThat(answers).filteredOn(r -> r.status() == 429).allSatisfy(r -> {
            assertThat(r.code()).isEqualTo("rate_limited");
            assertThat(r.raw().headers().firstValue("Retry-After")).isPresent();
        });
        assertThat(wrong).as("wrong passwords checked out of 25 at once").isLessThanOrEqualTo(SIGN_IN_BUDGET);

        // Spent, the budget refuses before any password is checked, the right one too.
        RawHttp.Response refused = null;
        for (int i = 0; i < 30 && refused == null; i++) {
            RawHttp.Response r = signIn(from, "wrong-password-1");
            if (r.status() == 429) refused = r;
            else assertThat(r.status()).isEqualTo(401);
        }
        assertThat(refused).as("a 429 once the budget is spent").isNotNull();
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void passwordChecksBeyondTheBoundAreRefusedNotQueued() throws Exception {
        HttpClient from = clientFrom("127.0.0.12");
        // Fewer than the sign-in budget: every one of them may reserve its attempt, and only the bound refuses.
        List<RawHttp.Response> answers = concurrently(8, () -> signIn(from, TestParley.OWNER_PASSWORD));

        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
        assertThat(answers).filteredOn(r -> r.status() == 200).isNotEmpty();
        assertThat(answers).filteredOn(r -> r.status() == 429).isNotEmpty().allSatisfy(r -> {
            assertThat(r.code()).isEqualTo("rate_limited");
            assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("1");
        });
        // Refused for want of a slot, not for a wrong password: the address can still sign in.
        assertThat(signIn(from, TestParley.OWNER_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void successfulSignInsDoNotSpendTheBudget() {
        HttpClient from = clientFrom("127.0.0.13");
        for (int i = 0; i < SIGN_IN_BUDGET + 5; i++) {
            assertThat(signIn(from, TestParley.OWNER_PASSWORD).status()).isEqualTo(200);
        }
    }

    @Test
    void aSlotIsRefusedWhileTheBoundIsTakenAndFreeOnceReleased() {
        PasswordSlots slots = new PasswordSlots(1);
        PasswordSlots.Slot first = slots.enter();
        assertThatThrownBy(slots::enter).isInstanceOf(Throttle.RetryLater.class);
        first.close();
        slots.enter().close();
    }

    @Test
    void anExhaustedBudgetStaysExhaustedWhileManyOtherKeysArrive() {
        // Refilled once an hour: nothing refills during the test, so every count below is exact.
        LocalBuckets buckets = new LocalBuckets(Throttle.limit(3, Duration.ofHours(1)), 100);
        Throttle throttle = new Throttle(buckets);
        for (int i = 0; i < 3; i++) throttle.check("203.0.113.9");
        assertThatThrownBy(() -> throttle.check("203.0.113.9")).isInstanceOf(Throttle.RetryLater.class);
        throttle.check("203.0.113.10");

        for (int i = 0; i < 10_000; i++) assertThat(throttle.tryTake("198.51.100." + i)).isTrue();

        assertThat(throttle.tryTake("203.0.113.9")).as("the exhausted key after 10,000 others").isFalse();
        assertThat(buckets.size()).as("keys kept").isLessThanOrEqualTo(101);
    }

    @Test
    void fullBucketsAreTheFirstToGo() {
        LocalBuckets buckets = new LocalBuckets(Throttle.limit(2, Duration.ofHours(1)), 10);
        Throttle throttle = new Throttle(buckets);
        throttle.check("spent");
        throttle.check("spent");
        for (int i = 0; i < 8; i++) throttle.giveBack("full-" + i);
        for (int i = 0; i < 50; i++) throttle.giveBack("full-again-" + i);
        assertThat(throttle.tryTake("spent")).isFalse();
    }

    private RawHttp.Response signIn(HttpClient from, String password) {
        return RawHttp.send(from, app.baseUrl(), "POST", "/auth/login", Map.of("Content-Type", "application/json"),
                Json.write(Map.of("email", TestParley.OWNER_EMAIL, "password", password)));
    }

    private static HttpClient clientFrom(String address) {
        try {
            return HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).build();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code n} calls at once (released together) and returns their answers. */
    private static <T> List<T> concurrently(int n, java.util.concurrent.Callable<T> call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        }
    }
}
