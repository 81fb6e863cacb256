package app.parley.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the processes cost: CPU from /proc, the server's heap from jcmd, file descriptors. Linux only. */
final class Procs {
    static final long CLK_TCK = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total(?: reserved)? \\d+K, (?:committed \\d+K, )?used (\\d+)K");

    /** Every node's JVM (bench/run --nodes N): "server" is their sum. */
    private final long[] serverPids;
    private final long postmasterPid;
    private final Path jcmd;

    Procs(long[] serverPids, long postmasterPid) {
        this.serverPids = serverPids.clone();
        this.postmasterPid = postmasterPid;
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    /** A reading of every CPU counter at one moment. */
    record Cpu(long wallNanos, long serverTicks, long pgTicks, long clientNanos, long machineBusyTicks) {
        Usage since(Cpu start) {
            double wall = (wallNanos - start.wallNanos) / 1e9;
            return new Usage(wall,
                    (serverTicks - start.serverTicks) / (double) CLK_TCK / wall,
                    (pgTicks - start.pgTicks) / (double) CLK_TCK / wall,
                    (clientNanos - start.clientNanos) / 1e9 / wall,
                    (machineBusyTicks - start.machineBusyTicks) / (double) CLK_TCK / wall);
        }
    }

    /** Cores used on average over a span: server JVM, its PostgreSQL, the load client, the whole machine. */
    record Usage(double seconds, double server, double pg, double client, double machine) {
        double others() {
            return Math.max(0, machine - server - pg - client);
        }

        @Override
        public String toString() {
            return String.format("server JVM %.2f, PostgreSQL %.2f, load client %.2f, other processes %.2f cores (machine %.2f of %d)",
                    server, pg, client, others(), machine, Runtime.getRuntime().availableProcessors());
        }
    }

    Cpu cpu() {
        long server = 0;
        for (long pid : serverPids) server += ticks(pid, false);
        return new Cpu(System.nanoTime(), server, pgTicks(), clientCpuNanos(), machineBusy());
    }

    static long clientCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return 0;
    }

    /** utime+stime of a process (and of its reaped children when asked), in clock ticks; 0 if it is gone. */
    static long ticks(long pid, boolean withChildren) {
        String[] f = stat(pid);
        if (f == null) return 0;
        // fields after "(comm)": f[0] = state (field 3); utime = field 14 → f[11], stime f[12], cutime f[13], cstime f[14]
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (withChildren) t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return t;
    }

    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The postmaster, its live children, and the children it has reaped. */
    long pgTicks() {
        if (postmasterPid <= 0) return 0;
        long total = ticks(postmasterPid, true);
        for (long child : children(postmasterPid)) total += ticks(child, false);
        return total;
    }

    static List<Long> children(long parent) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                String[] f = stat(Long.parseLong(name));
                if (f != null && f.length > 1 && Long.parseLong(f[1]) == parent) out.add(Long.parseLong(name));
            }
        } catch (IOException e) {
            // leave the list as it is
        }
        return out;
    }

    /** Busy clock ticks of the whole machine (all CPUs): everything but idle and iowait. */
    static long machineBusy() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The servers' used heap (summed over the nodes) after two forced full collections (jcmd GC.run), in bytes. */
    long serverHeapAfterGc() throws IOException, InterruptedException {
        long total = 0;
        for (long pid : serverPids) total += heapAfterGc(pid);
        return total;
    }

    private long heapAfterGc(long serverPid) throws IOException, InterruptedException {
        jcmd(serverPid, "GC.run");
        Thread.sleep(300);
        jcmd(serverPid, "GC.run");
        String info = jcmd(serverPid, "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) throw new IOException("cannot read GC.heap_info: " + info);
        return Long.parseLong(m.group(1)) * 1024;
    }

    String jcmd(long serverPid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(jcmd.toString());
        cmd.add(Long.toString(serverPid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", command) + " timed out");
        }
        return new String(out);
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return 0;
    }

    static int openFds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The soft limit on open files of a process ("Max open files" in /proc/pid/limits). */
    static long fdLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return Long.MAX_VALUE;
    }

    static long selfPid() {
        return ProcessHandle.current().pid();
    }
}
