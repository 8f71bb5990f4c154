package dev.relib.engine.loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Private copies of module files, so that {@code cargo build} can overwrite the original while the
 * module is loaded, and so that a second instance ({@code --as}) gets a file of its own (glibc
 * shares one link map per file). The directory is mode 0700 and removed when the engine closes.
 * A copy is named by module name and content hash, so an unchanged file reuses its copy.
 */
public final class ShadowCopies implements AutoCloseable {

    private final Path root;

    private ShadowCopies(Path root) {
        this.root = root;
    }

    /** A fresh private directory under the system temp directory. */
    public static ShadowCopies create() {
        try {
            return new ShadowCopies(Files.createTempDirectory("relib-shadow-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the shadow-copy directory", e);
        }
    }

    public Path root() {
        return root;
    }

    /** The copy of {@code source} for module {@code name}, made unless an identical one exists. */
    public Path copyOf(Path source, String name) {
        try {
            String hash = contentHash(source);
            Path dir = root.resolve(name + "-" + hash.substring(0, 16));
            Path copy = dir.resolve(source.getFileName());
            if (Files.isRegularFile(copy)) {
                return copy;
            }
            Files.createDirectories(dir);
            Path partial = dir.resolve(source.getFileName() + ".partial");
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " into " + root, e);
        }
    }

    /** Removes a copy that is no longer loaded (a later load of the same content makes it again). */
    public void discard(Path copy) {
        if (!copy.startsWith(root)) {
            return;
        }
        try {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.getParent());
        } catch (IOException e) {
            // A copy that cannot be removed costs disk only; close() retries with the whole tree.
        }
    }

    static String contentHash(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the shadow copies in " + root, e);
        }
    }
}
