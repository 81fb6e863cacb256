package app.parley.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operations settings refuse what would silently weaken or silence a node, and never print the token. */
class OpsSettingsTest {
    @Test
    void defaultsAreNoTokenFiveSecondsOfDrainingAndTextLogs() {
        OpsSettings s = OpsSettings.from(Map.of());
        assertThat(s.metricsToken()).isNull();
        assertThat(s.drainSeconds()).isEqualTo(5);
        assertThat(s.logFormat()).isEqualTo("text");
        assertThat(OpsSettings.from(Map.of("PARLEY_METRICS_TOKEN", "  ")).metricsToken()).isNull();
    }

    @Test
    void aShortTokenANegativeDrainOrAnUnknownLogFormatStopTheStart() {
        assertThatThrownBy(() -> OpsSettings.from(Map.of("PARLEY_METRICS_TOKEN", "short"))).hasMessageContaining("16");
        assertThatThrownBy(() -> OpsSettings.from(Map.of("PARLEY_DRAIN_SECONDS", "-1"))).hasMessageContaining("PARLEY_DRAIN_SECONDS");
        assertThatThrownBy(() -> OpsSettings.from(Map.of("PARLEY_LOG_FORMAT", "xml"))).hasMessageContaining("text or json");
    }

    @Test
    void theTokenIsNeverPrinted() {
        OpsSettings s = OpsSettings.from(Map.of("PARLEY_METRICS_TOKEN", "secret-token-0123456789", "PARLEY_LOG_FORMAT", "json"));
        assertThat(s.metricsToken()).isEqualTo("secret-token-0123456789");
        assertThat(s.toString()).doesNotContain("secret-token").contains("metricsToken=set").contains("json");
    }
}
