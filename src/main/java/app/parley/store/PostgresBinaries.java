package app.parley.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL programs (initdb, pg_ctl, postgres) that ship inside the zonky binaries jar, unpacked once into a
 * folder: {@code PG-<md5 of the archive>}, the name zonky itself uses, so binaries an older Parley unpacked are
 * found again. Nothing is downloaded.
 */
final class PostgresBinaries {
    private PostgresBinaries() {}

    /** The folder holding {@code bin/postgres}, unpacked under {@code parent} if it is not there yet. */
    static Path unpacked(Path parent) throws IOException {
        byte[] archive;
        MessageDigest md5 = md5();
        try (InputStream in = new DigestInputStream(DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os(), architecture()), md5)) {
            archive = in.readAllBytes();
        }
        Path dir = parent.resolve("PG-" + HexFormat.of().formatHex(md5.digest()));
        if (Files.exists(dir.resolve(".exists"))) return dir;
        Files.createDirectories(parent);
        // Unpacked beside and renamed into place: a start killed half-way never leaves half a folder behind.
        Path partial = Files.createTempDirectory(parent, "unpacking-");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(new java.io.ByteArrayInputStream(archive))))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path target = partial.resolve(e.getName()).normalize();
                if (!target.startsWith(partial)) throw new IOException("Archive entry outside its folder: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createLink(target, partial.resolve(e.getLinkName()).normalize());
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, permissions(e.getMode()));
                }
            }
        }
        Files.createFile(partial.resolve(".exists"));
        try {
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            // Another start unpacked the same archive meanwhile (zonky's own marker was missing): use its copy.
            deleteTree(partial);
            if (!Files.exists(dir.resolve("bin").resolve("postgres"))) throw raced;
            Files.createFile(dir.resolve(".exists"));
        }
        return dir;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = new HashSet<>();
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) set.add(bits[i]);
        }
        set.add(PosixFilePermission.OWNER_READ);
        return set;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names zonky's resolver expects. */
    private static String os() {
        return System.getProperty("os.name").toLowerCase().contains("mac") ? "Darwin" : "Linux";
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }
}
