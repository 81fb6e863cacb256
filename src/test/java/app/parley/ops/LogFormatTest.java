package app.parley.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #15, point 8: PARLEY_LOG_FORMAT=json makes Parley's own logback.xml write one JSON object a line; text stays
 * the default. The shipped configuration is loaded into a logger context of the test's own, its console captured.
 */
class LogFormatTest {
    @Test
    void jsonFormatWritesOneObjectALineWithLevelLoggerAndMessage() throws Exception {
        List<String> lines = logWith("json");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.getFirst());
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("loggerName").asText()).isEqualTo("app.parley.Example");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("Visitor wrote \"hi\"\nINFO forged line");
        assertThat(line.path("timestamp").asLong()).isPositive();
    }

    @Test
    void textIsTheDefaultAndKeepsAMessageOnItsLine() throws Exception {
        List<String> lines = logWith(null);
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).contains("WARN ").contains("Visitor wrote \"hi\"\\nINFO forged line").doesNotStartWith("{");
    }

    private static List<String> logWith(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        // Context properties are looked up before the environment, as PARLEY_LOG_FORMAT would be.
        if (format != null) context.putProperty("PARLEY_LOG_FORMAT", format);
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            context.getLogger("app.parley.Example").warn("Visitor wrote {}", "\"hi\"\nINFO forged line");
            // The shipped file configures without a warning (one would make logback print its status at every start).
            assertThat(new ch.qos.logback.core.status.StatusUtil(context).getHighestLevel(0))
                    .isLessThan(ch.qos.logback.core.status.Status.WARN);
        } finally {
            context.stop();
            System.setOut(console);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
}
