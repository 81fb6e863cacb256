package app.parley.files;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;
import org.apache.tika.Tika;

/**
 * What a file is, read from its bytes (docs/PRODUCT.md §2.1: office, pdf, txt, csv, xml documents, images, mp4,
 * mov), and how it may be served. The name only refines what the bytes say (a zip that is a .docx); a name never
 * turns HTML into text. Serving follows one rule: only types a browser shows inertly keep their type, and only
 * raster images and video are shown inline; everything else is a download.
 */
public final class FileType {
    private static final Tika TIKA = new Tika();

    private static final Set<String> IMAGES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp");
    private static final Set<String> VIDEO = Set.of("video/mp4", "video/quicktime");
    /** Types a browser renders without running anything, so they may keep their type when downloaded. */
    private static final Set<String> INERT = Set.of("application/pdf", "text/plain", "text/csv",
            "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation", "application/rtf");
    /** The documents accepted: the inert ones, and XML, which is always sent as a download. */
    private static final Set<String> DOCUMENTS = java.util.stream.Stream.concat(INERT.stream(),
            java.util.stream.Stream.of("application/xml", "text/xml")).collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** Uploaded as an image, but it is a document that may hold script: accepted, never shown as itself. */
    private static final String SVG = "image/svg+xml";

    private FileType() {}

    /** The media type the bytes show, refined by the name where the bytes allow it (lower case, no parameters). */
    public static String sniff(byte[] content, String filename) {
        try {
            String type = TIKA.detect(new ByteArrayInputStream(content), filename);
            int semi = type.indexOf(';');
            return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether visitors and agents may upload a file of this (sniffed) type. */
    public static boolean allowed(String type) {
        return IMAGES.contains(type) || VIDEO.contains(type) || DOCUMENTS.contains(type) || SVG.equals(type);
    }

    /** A raster image: shown inline, previewed and thumbnailed. */
    public static boolean image(String type) {
        return IMAGES.contains(type);
    }

    /** How a file is sent back: the type it is served as, and whether the browser may show it in place. */
    public record Served(String contentType, boolean inline) {}

    public static Served served(String type) {
        if (IMAGES.contains(type) || VIDEO.contains(type)) return new Served(type, true);
        if (INERT.contains(type)) return new Served(type.startsWith("text/") ? type + "; charset=utf-8" : type, false);
        // HTML, SVG, XML (XHTML runs script) and anything else a browser might execute: bytes to save, nothing more.
        return new Served("application/octet-stream", false);
    }
}
