package app.parley;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PARLEY_CLUSTER (issue #15): off for one embedded node, on once the database is one other nodes may share. */
class ClusterSettingTest {
    @Test
    void embeddedIsOneNodeAndAnExternalDatabaseMayHaveSeveral() {
        assertThat(load(Map.of()).cluster()).isFalse();
        assertThat(load(Map.of("PARLEY_DATABASE_URL", "jdbc:postgresql://db/parley")).cluster()).isTrue();
        assertThat(load(Map.of("PARLEY_DATABASE_URL", "jdbc:postgresql://db/parley", "PARLEY_CLUSTER", "off")).cluster()).isFalse();
        assertThat(load(Map.of("PARLEY_CLUSTER", "ON")).cluster()).isTrue();
        assertThat(load(Map.of()).nodeTimeoutSeconds()).isEqualTo(15);
    }

    @Test
    void aValueThatIsNeitherOnNorOffIsRefusedAtStart() {
        assertThatThrownBy(() -> load(Map.of("PARLEY_CLUSTER", "maybe"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_CLUSTER must be on or off");
        assertThatThrownBy(() -> load(Map.of("PARLEY_NODE_TIMEOUT_SECONDS", "0"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_NODE_TIMEOUT_SECONDS");
    }

    private static Config load(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        env.put("PARLEY_CONFIG", "");
        return Config.load(env);
    }
}
