package app.parley.recording;

import app.parley.core.Refusal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How recording chunks travel and rest: gzip both ways. The browser compresses with its own CompressionStream
 * (no library in the shop's page), and gzip at level 6 came within a few per cent of zstd on real recordings of
 * the demo shop (RecordingBrowserTest prints both), so no native library is carried for it (docs/RECORDINGS.md).
 */
public final class ChunkCodec {
    public static final String GZIP = "gzip";
    /** A chunk's events, uncompressed: a full snapshot of a large shop page is a few MB; more is a bomb. */
    static final int MAX_RAW = 8 * 1024 * 1024;

    private ChunkCodec() {}

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 6 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(Deflater.DEFAULT_COMPRESSION);
            }
        }) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The chunk's bytes, refused when they are not gzip or unpack to more than {@link #MAX_RAW}. */
    public static byte[] gunzip(byte[] compressed) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] raw = in.readNBytes(MAX_RAW + 1);
            if (raw.length > MAX_RAW) {
                throw new Refusal(Refusal.Kind.BAD_REQUEST, "payload_too_large", "A recording chunk unpacks to more than 8 MiB.");
            }
            return raw;
        } catch (IOException e) {
            throw Refusal.badRequest("malformed_chunk", "A recording chunk is gzip-compressed JSON.");
        }
    }
}
