package app.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Parley run as a process of its own on its embedded PostgreSQL in a data folder of the test's, as an operator
 * runs it: so it can be killed with SIGKILL, and its exit code and output read.
 */
public final class ParleyProcess implements AutoCloseable {
    public static final Path BINARIES = Path.of(System.getProperty("java.io.tmpdir"), "parley-test-pg-binaries");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path data;
    private final Path output;
    public final int port;

    private ParleyProcess(Process process, Path data, Path output, int port) {
        this.process = process;
        this.data = data;
        this.output = output;
        this.port = port;
    }

    /** Starts Parley on {@code port} with its data in {@code data} (not waiting for it to be ready). */
    public static ParleyProcess launch(Path data, int port, Map<String, String> settings) {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "app.parley.Parley");
        pb.environment().put("PARLEY_PORT", String.valueOf(port));
        pb.environment().put("PARLEY_HOST", "127.0.0.1");
        pb.environment().put("PARLEY_DATA_DIR", data.toString());
        pb.environment().put("PARLEY_POSTGRES_BINARIES", BINARIES.toString());
        pb.environment().put("PARLEY_OWNER_EMAIL", TestParley.OWNER_EMAIL);
        pb.environment().put("PARLEY_OWNER_PASSWORD", TestParley.OWNER_PASSWORD);
        pb.environment().put("PARLEY_CONFIG", "");
        pb.environment().put("PARLEY_VISITOR_MESSAGE_RATE", "1000");
        pb.environment().remove("PARLEY_DATABASE_URL");
        pb.environment().putAll(settings);
        Path output = data.resolveSibling(data.getFileName() + "-parley-" + System.nanoTime() + ".log");
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        try {
            return new ParleyProcess(pb.start(), data, output, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ParleyProcess launch(Path data, int port) {
        return launch(data, port, Map.of());
    }

    /** Starts Parley and waits until /health says it is ready. */
    public static ParleyProcess start(Path data, int port) {
        ParleyProcess p = launch(data, port);
        p.awaitHealth(200, Duration.ofSeconds(120));
        return p;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port;
    }

    public TestParley.Api owner() {
        return TestParley.loginAt(baseUrl(), TestParley.OWNER_EMAIL, TestParley.OWNER_PASSWORD);
    }

    public String chatKey() {
        return owner().me().get("account").get("chat_key").asText();
    }

    /** GET /health: its status, or -1 when nothing answers within 3 s. */
    public int health() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until /health answers {@code status}; fails with Parley's output if the process ends first. */
    public void awaitHealth(int status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (health() == status) return;
            if (!process.isAlive()) throw new AssertionError("Parley exited (" + process.exitValue() + "): " + output());
            pause();
        }
        throw new AssertionError("/health did not answer " + status + " within " + within + ": " + output());
    }

    /** The exit code, waiting at most {@code within}; fails if the process is still running then. */
    public int awaitExit(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Parley still runs after " + within + ": " + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** Everything Parley printed so far. */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The process id of the embedded PostgreSQL, from its lock file. */
    public Optional<ProcessHandle> postmaster() {
        Path pid = data.resolve("postgres").resolve("postmaster.pid");
        try {
            if (!Files.exists(pid)) return Optional.empty();
            List<String> lines = Files.readAllLines(pid);
            return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The TCP port the embedded PostgreSQL listens on (4th line of its lock file). */
    public int postgresPort() {
        try {
            return Integer.parseInt(Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid")).get(3).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL for Parley's JVM only: its PostgreSQL is left running, as after a crash of the JVM. */
    public void killJvm() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL for the postmaster only (its backends notice and exit on their own). */
    public void killPostmaster() {
        ProcessHandle pm = postmaster().orElseThrow(() -> new AssertionError("no postmaster.pid"));
        pm.destroyForcibly();
        pm.onExit().join();
    }

    /**
     * Kills every postmaster Parley starts again until /health answers 503, and says how long that took. Parley
     * restarts its PostgreSQL in a fraction of a second, often between two looks at /health: killing each new one
     * keeps the database down long enough to see what /health says meanwhile.
     */
    public Duration keepPostgresDownUntilHealthSaysSo(Duration within) {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (System.nanoTime() < deadline) {
            postmaster().filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
            if (health() == 503) return Duration.ofNanos(System.nanoTime() - start);
            if (!process.isAlive()) throw new AssertionError("Parley exited (" + process.exitValue() + "): " + output());
        }
        throw new AssertionError("/health did not answer 503 within " + within + ": " + output());
    }

    /** SIGKILL for Parley and for every PostgreSQL process of its data folder: no shutdown of any kind. */
    public void killEverything() {
        killJvm();
        postmaster().ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    /** SIGTERM, as an operator stops it; then whatever is left of its PostgreSQL. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killEverything();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
