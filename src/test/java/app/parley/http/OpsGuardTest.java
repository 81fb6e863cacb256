package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Without a metrics token, /metrics is for callers on this machine only: loopback addresses no proxy forwarded. */
class OpsGuardTest {
    @Test
    void onlyUnforwardedLoopbackCallersAreLocal() {
        assertThat(OpsRoutes.local("127.0.0.1", false)).isTrue();
        assertThat(OpsRoutes.local("127.8.9.10", false)).isTrue();
        assertThat(OpsRoutes.local("[::1]", false)).isTrue();
        assertThat(OpsRoutes.local("0:0:0:0:0:0:0:1", false)).isTrue();

        assertThat(OpsRoutes.local("127.0.0.1", true)).as("through a proxy on this machine").isFalse();
        assertThat(OpsRoutes.local("10.0.0.7", false)).isFalse();
        assertThat(OpsRoutes.local("203.0.113.9", false)).isFalse();
        assertThat(OpsRoutes.local("[2001:db8::1]", false)).isFalse();
        assertThat(OpsRoutes.local("localhost", false)).as("a name is never looked up").isFalse();
        assertThat(OpsRoutes.local(null, false)).isFalse();
        assertThat(OpsRoutes.local("", false)).isFalse();
    }
}
