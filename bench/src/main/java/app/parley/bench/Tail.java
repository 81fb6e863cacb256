package app.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the latency tail came from: sets the messages of a latency window that were late (from the client's
 * {@code --latency-file}) beside what the server recorded at the same moment (a Flight Recorder file with G1's
 * pauses and the journal's {@code parley.JournalBatch} events).
 *
 * <pre>java -cp bench/target/parley-bench.jar app.parley.bench.Tail LATENCY_FILE JFR_FILE [late-ms, default 2.5]</pre>
 *
 * Late messages close together (less than 20 ms apart) form one stall. For each stall it prints the collector's
 * pauses and the journal's slow batches that overlap it, then how many late messages each cause accounts for.
 */
public final class Tail {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final long GAP_US = 20_000;
    /** A batch whose commit took longer than this counts as a slow commit. */
    private static final long SLOW_COMMIT_US = 2_000;

    record Late(long scheduledUs, long latencyUs) {}

    record Interval(long startUs, long endUs, String what) {}

    record Stall(long startUs, long endUs, int messages, long maxLatencyUs, List<Interval> causes) {}

    private Tail() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Tail LATENCY_FILE JFR_FILE [late-ms]");
            System.exit(2);
        }
        long lateUs = args.length > 2 ? Math.round(Double.parseDouble(args[2]) * 1000) : 2_500;
        List<Late> all = readLatencies(Path.of(args[0]));
        List<Interval> pauses = new ArrayList<>();
        List<Interval> slowCommits = new ArrayList<>();
        long[][] batchTimes = readRecording(Path.of(args[1]), all, pauses, slowCommits);
        System.out.print(report(all, lateUs, pauses, slowCommits, batchTimes));
    }

    static List<Late> readLatencies(Path file) throws IOException {
        List<Late> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            out.add(new Late(Long.parseLong(f[0]), Long.parseLong(f[1])));
        }
        out.sort(Comparator.comparingLong(Late::scheduledUs));
        return out;
    }

    /** Collects pauses and slow commits during the window; returns the batches' wait, execute and commit times (µs). */
    private static long[][] readRecording(Path jfr, List<Late> window, List<Interval> pauses, List<Interval> slowCommits)
            throws IOException {
        long from = window.isEmpty() ? Long.MIN_VALUE : window.getFirst().scheduledUs() - 1_000_000;
        long to = window.isEmpty() ? Long.MAX_VALUE : window.getLast().scheduledUs() + 1_000_000;
        List<long[]> batches = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            long start = micros(e.getStartTime());
            if (start < from || start > to) continue;
            switch (e.getEventType().getName()) {
                case "jdk.GCPhasePause" -> pauses.add(new Interval(start, micros(e.getEndTime()),
                        "GC pause " + ms(micros(e.getDuration())) + " (" + e.getString("name") + ")"));
                case "parley.JournalBatch" -> {
                    long waited = micros(e.getDuration("waited"));
                    long executed = micros(e.getDuration("executed"));
                    long committed = micros(e.getDuration("committed"));
                    batches.add(new long[] {waited, executed, committed});
                    if (committed > SLOW_COMMIT_US) {
                        slowCommits.add(new Interval(start, micros(e.getEndTime()), "commit " + ms(committed)
                                + " (batch of " + e.getInt("commands") + ", waited " + ms(waited) + ")"));
                    }
                }
                default -> {}
            }
        }
        long[][] byStage = new long[3][batches.size()];
        for (int i = 0; i < batches.size(); i++) {
            for (int s = 0; s < 3; s++) byStage[s][i] = batches.get(i)[s];
        }
        for (long[] stage : byStage) Arrays.sort(stage);
        return byStage;
    }

    static String report(List<Late> all, long lateUs, List<Interval> pauses, List<Interval> slowCommits, long[][] batchTimes) {
        StringBuilder out = new StringBuilder();
        List<Stall> stalls = stalls(all, lateUs, pauses, slowCommits);
        long late = stalls.stream().mapToLong(Stall::messages).sum();
        out.append(String.format("%,d messages, %,d later than %s, in %,d stalls%n", all.size(), late, ms(lateUs), stalls.size()));
        if (batchTimes[0].length > 0) {
            String[] names = {"waited for the writer", "executed", "committed"};
            out.append(String.format("journal batches in the window: %,d%n", batchTimes[0].length));
            for (int s = 0; s < 3; s++) {
                long[] v = batchTimes[s];
                out.append(String.format("  %-22s p50 %s  p99 %s  p99.9 %s  max %s%n", names[s], ms(at(v, 0.5)),
                        ms(at(v, 0.99)), ms(at(v, 0.999)), ms(v[v.length - 1])));
            }
        } else {
            out.append("no parley.JournalBatch events in the recording for this window\n");
        }
        long byGc = 0;
        long byCommit = 0;
        for (Stall s : stalls) {
            if (s.causes().stream().anyMatch(c -> c.what().startsWith("GC"))) byGc += s.messages();
            else if (!s.causes().isEmpty()) byCommit += s.messages();
        }
        out.append(String.format("late messages in stalls with a GC pause: %,d; with a slow commit (> %s) and no pause: %,d; "
                + "neither: %,d%n", byGc, ms(SLOW_COMMIT_US), byCommit, late - byGc - byCommit));
        out.append("largest stalls:\n");
        stalls.stream().sorted(Comparator.comparingInt(Stall::messages).reversed()).limit(15).forEach(s -> {
            out.append(String.format("  %s  %4d late over %6s, worst %s%n", CLOCK.format(instant(s.startUs())),
                    s.messages(), ms(s.endUs() - s.startUs()), ms(s.maxLatencyUs())));
            for (Interval c : s.causes()) out.append("      ").append(CLOCK.format(instant(c.startUs()))).append(' ').append(c.what()).append('\n');
        });
        return out.toString();
    }

    /** Groups late messages into stalls and finds what overlapped each (from 50 ms before its first message). */
    static List<Stall> stalls(List<Late> all, long lateUs, List<Interval> pauses, List<Interval> slowCommits) {
        List<Stall> out = new ArrayList<>();
        long start = 0;
        long end = 0;
        int count = 0;
        long worst = 0;
        for (Late m : all) {
            if (m.latencyUs() <= lateUs) continue;
            if (count > 0 && m.scheduledUs() - end > GAP_US) {
                out.add(stall(start, end, count, worst, pauses, slowCommits));
                count = 0;
                worst = 0;
            }
            if (count == 0) start = m.scheduledUs();
            end = m.scheduledUs();
            count++;
            worst = Math.max(worst, m.latencyUs());
        }
        if (count > 0) out.add(stall(start, end, count, worst, pauses, slowCommits));
        return out;
    }

    private static Stall stall(long start, long end, int count, long worst, List<Interval> pauses, List<Interval> slowCommits) {
        List<Interval> causes = new ArrayList<>();
        for (List<Interval> kind : List.of(pauses, slowCommits)) {
            for (Interval i : kind) {
                if (i.endUs() >= start - 50_000 && i.startUs() <= end + worst) causes.add(i);
            }
        }
        causes.sort(Comparator.comparingLong(Interval::startUs));
        return new Stall(start, end, count, worst, causes);
    }

    private static long at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1_000;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
    }

    private static String ms(long micros) {
        return String.format("%.2f ms", micros / 1000.0);
    }
}
