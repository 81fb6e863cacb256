package app.parley.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The type rule on bytes alone (no database): what may be sent, and how each type is served back. */
class FileTypeTest {
    @Test
    void theBytesDecideAndTheNameOnlyRefinesWhatTheBytesAllow() throws IOException {
        byte[] docx = zip("[Content_Types].xml", "word/document.xml");
        assertThat(FileType.sniff(docx, "offer.docx")).isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(FileType.sniff(docx, "offer.zip")).isEqualTo("application/zip");
        assertThat(FileType.allowed(FileType.sniff(docx, "offer.zip"))).isFalse();
        assertThat(FileType.sniff("a;b\n1;2\n".getBytes(StandardCharsets.UTF_8), "orders.csv")).isEqualTo("text/csv");
        assertThat(FileType.sniff("<html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8), "notes.txt")).isEqualTo("text/html");
        assertThat(FileType.sniff(pdf(), "invoice.exe")).isEqualTo("application/pdf");
        assertThat(FileType.sniff(mp4("isom"), "clip.mp4")).isEqualTo("video/mp4");
        assertThat(FileType.sniff(mp4("qt  "), "clip.mov")).isEqualTo("video/quicktime");
        assertThat(FileType.allowed("text/html")).isFalse();
        assertThat(FileType.allowed("application/x-msdownload")).isFalse();
        assertThat(FileType.allowed("image/svg+xml")).as("accepted, but never shown as itself").isTrue();
    }

    @Test
    void onlyInertTypesKeepTheirTypeAndOnlyPicturesAndVideoShowInPlace() {
        assertThat(FileType.served("image/png")).isEqualTo(new FileType.Served("image/png", true));
        assertThat(FileType.served("video/quicktime")).isEqualTo(new FileType.Served("video/quicktime", true));
        assertThat(FileType.served("application/pdf")).isEqualTo(new FileType.Served("application/pdf", false));
        assertThat(FileType.served("text/plain")).isEqualTo(new FileType.Served("text/plain; charset=utf-8", false));
        for (String runnable : new String[] {"text/html", "image/svg+xml", "application/xml", "text/xml", "application/xhtml+xml"}) {
            assertThat(FileType.served(runnable)).as(runnable).isEqualTo(new FileType.Served("application/octet-stream", false));
        }
    }

    @Test
    void aNameKeepsItsLastSegmentAndLosesItsCardNumber() {
        assertThat(Uploads.name("C:\\Users\\jan\\receipt 4111 1111 1111 1111.pdf")).isEqualTo("receipt **** **** **** 1111.pdf");
        assertThat(Uploads.name("../../etc/passwd")).isEqualTo("passwd");
    }

    static byte[] zip(String... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (String e : entries) {
                z.putNextEntry(new ZipEntry(e));
                z.write("<x/>".getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] pdf() {
        return "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** An ISO base media file's first box: size, "ftyp", the major brand. */
    static byte[] mp4(String brand) {
        byte[] b = new byte[32];
        b[3] = 24;
        System.arraycopy("ftyp".getBytes(StandardCharsets.US_ASCII), 0, b, 4, 4);
        System.arraycopy(brand.getBytes(StandardCharsets.US_ASCII), 0, b, 8, 4);
        return b;
    }
}
