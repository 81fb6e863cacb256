package app.parley.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.HdrHistogram.Histogram;

/**
 * The floor under every durable commit: how long the data directory's disk takes to make 8 KiB durable
 * ({@code fdatasync}, PostgreSQL's {@code wal_sync_method} here). A message acknowledged after its commit can never
 * be faster than this, so the latency figures are read against it.
 */
final class DiskSync {
    private DiskSync() {}

    static Histogram measure(Path dir, int times) throws IOException {
        Histogram h = new Histogram(3_600_000_000L, 3);
        Path file = dir.resolve("bench-fdatasync.probe");
        ByteBuffer page = ByteBuffer.allocateDirect(8192);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < times; i++) {
                page.clear();
                long t0 = System.nanoTime();
                ch.write(page, (long) (i % 256) * 8192);
                ch.force(false);
                h.recordValue(System.nanoTime() - t0);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return h;
    }
}
