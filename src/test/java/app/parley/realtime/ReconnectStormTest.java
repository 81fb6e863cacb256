package app.parley.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Right after a (re)start every chat box reconnects at once, on a cold presence cache: they all get their
 * welcome and the API stays responsive. (The code keeps presence loads out of the snapshot transaction so no
 * socket holds one pooled connection while waiting for another; this test does not force that interleaving.)
 */
class ReconnectStormTest {
    @Test
    void manyChatBoxesConnectingToAFreshServerAllGetTheirWelcome() throws Exception {
        try (TestParley app = TestParley.start()) {
            String key = app.accountKey();
            int boxes = 30;
            ExecutorService pool = Executors.newFixedThreadPool(boxes);
            List<Future<Boolean>> welcomes = new ArrayList<>();
            List<TestSocket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < boxes; i++) {
                welcomes.add(pool.submit(() -> {
                    TestSocket s = TestSocket.visitor(app.wsUrl(), key, null, null);
                    sockets.add(s);
                    return s.await("welcome").has("visitor_id");
                }));
            }
            for (Future<Boolean> w : welcomes) assertThat(w.get()).isTrue();
            TestParley.Api owner = app.owner();
            assertThat(owner.get("/v2/conversations/tabs").path("all").asInt()).isZero();
            sockets.forEach(TestSocket::close);
            pool.shutdown();
        }
    }
}
