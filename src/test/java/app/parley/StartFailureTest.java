package app.parley;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.ParleyProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that cannot succeed ends the process at once, non-zero, with one line that says why. */
class StartFailureTest {
    @TempDir
    Path root;

    @Test
    void aBusyPortEndsTheProcessWithALineThatSaysSo() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ParleyProcess parley = ParleyProcess.launch(root.resolve("data"), busy.getLocalPort());
            int exit = parley.awaitExit(Duration.ofSeconds(90));
            assertThat(exit).isNotZero();
            assertThat(parley.output()).contains("Parley cannot start: port " + busy.getLocalPort() + " is in use");
        }
    }

    @Test
    void aSecondParleyOnTheSameDataFolderEndsWithALineThatSaysSo() {
        Path data = root.resolve("shared");
        try (ParleyProcess first = ParleyProcess.start(data, ParleyProcess.freePort())) {
            ParleyProcess second = ParleyProcess.launch(data, ParleyProcess.freePort());
            int exit = second.awaitExit(Duration.ofSeconds(90));
            assertThat(exit).isNotZero();
            assertThat(second.output()).contains("Parley cannot start: the data folder " + data + " is in use by another Parley");
            first.awaitHealth(200, Duration.ofSeconds(5));
        }
    }
}
