package app.parley.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.core.Refusal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IP rules (wildcards, CIDR, one address), the trusted-proxy rule for X-Forwarded-For, and IP truncation. */
class IpRuleTest {
    @Test
    void wildcardsCidrBlocksAndSingleAddressesMatchWhatTheySay() {
        assertThat(IpRule.parse("192.168.0.*").matches("192.168.0.77")).isTrue();
        assertThat(IpRule.parse("192.168.0.*").matches("192.168.1.77")).isFalse();
        assertThat(IpRule.parse("10.*.*.*").matches("10.200.3.4")).isTrue();
        assertThat(IpRule.parse("10.0.0.0/8").matches("10.255.255.255")).isTrue();
        assertThat(IpRule.parse("10.0.0.0/8").matches("11.0.0.1")).isFalse();
        assertThat(IpRule.parse("172.16.0.0/12").matches("172.31.9.9")).isTrue();
        assertThat(IpRule.parse("172.16.0.0/12").matches("172.32.0.1")).isFalse();
        assertThat(IpRule.parse("2001:db8::/32").matches("2001:db8:1::5")).isTrue();
        assertThat(IpRule.parse("2001:db8::/32").matches("192.168.0.1")).isFalse();
        assertThat(IpRule.parse("203.0.113.9").matches("203.0.113.9")).isTrue();
        assertThat(IpRule.parse("203.0.113.9").matches("203.0.113.10")).isFalse();
    }

    @Test
    void anythingElseIsRefusedWithAStableCode() {
        for (String bad : List.of("", "192.168.*.1", "300.1.1.1", "10.0.0.0/33", "shop.test", "1.2.3", "*", "1.2.3.4/x")) {
            assertThatThrownBy(() -> IpRule.parse(bad)).as(bad).isInstanceOfSatisfying(Refusal.class,
                    r -> assertThat(r.code()).isEqualTo("invalid_ip_pattern"));
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromATrustedProxyAndOnlyItsRightMostUntrustedHop() {
        ClientAddress addresses = ClientAddress.of("127.0.0.1, 10.0.0.0/8");
        assertThat(addresses.of("127.0.0.1", "81.2.69.142")).isEqualTo("81.2.69.142");
        // The left-most hops are the client's to forge: the right-most one not a proxy of ours is the client.
        assertThat(addresses.of("127.0.0.1", "6.6.6.6, 81.2.69.142, 10.1.2.3")).isEqualTo("81.2.69.142");
        assertThat(addresses.of("203.0.113.5", "81.2.69.142")).isEqualTo("203.0.113.5");
        assertThat(addresses.of("127.0.0.1", "not-an-ip")).isEqualTo("127.0.0.1");
        assertThat(ClientAddress.of(null).of("127.0.0.1", "81.2.69.142")).isEqualTo("127.0.0.1");
    }

    @Test
    void truncationDropsTheLastOctetOrKeepsAnIpv6Slash48() {
        assertThat(ClientAddress.truncated("81.2.69.142")).isEqualTo("81.2.69.0");
        assertThat(ClientAddress.truncated("2a00:1450:4001:80b::200e")).isEqualTo("2a00:1450:4001:0:0:0:0:0");
        assertThat(ClientAddress.truncated("shop.test")).isNull();
    }
}
