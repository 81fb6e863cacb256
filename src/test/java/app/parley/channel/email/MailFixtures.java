package app.parley.channel.email;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared mail fixtures (../shared/testdata/mail/README.md) and the text rule they are compared by. */
final class MailFixtures {
    static final Path DIR = Path.of(System.getProperty("parley.mailFixtures", "/work/shared/testdata/mail"));

    private MailFixtures() {}

    static byte[] raw(String prefix) {
        try (var files = Files.list(DIR)) {
            Path f = files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("No fixture " + prefix));
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** README: compare with every run of whitespace (spaces, no-break spaces, newlines) collapsed, ends trimmed. */
    static String visible(String text) {
        return text.replaceAll("[\\s\\u00a0\\u202f]+", " ").strip();
    }
}
