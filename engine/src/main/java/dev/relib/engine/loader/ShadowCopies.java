package dev.relib.engine.loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * Private copies of module files, so that {@code cargo build} can overwrite the original while the
 * module is loaded, and so that a second instance ({@code --as}) or a new generation gets a file of
 * its own (glibc shares one link map per file). The directory is mode 0700 and removed when the
 * engine closes. A module's copy outlives its unload, and loading the unchanged file again under
 * the same name reuses it: "unchanged" is the source's device, inode, size and modification time,
 * trusted only once the modification is older than the clock's granularity could hide.
 */
public final class ShadowCopies implements AutoCloseable {

    private record Copy(FileStamp source, long copiedAtNanos, Path file) {
    }

    private final Path root;
    private final Map<String, Copy> byName = new HashMap<>();
    private int made;

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

    /** The copy of {@code source} for module {@code name}, made unless an up-to-date one exists. */
    public Path copyOf(Path source, String name) {
        FileStamp stamp = FileStamp.of(source);
        Copy existing = byName.get(name);
        if (existing != null && existing.source().equals(stamp) && !stamp.racyAt(existing.copiedAtNanos())
                && Files.isRegularFile(existing.file())) {
            return existing.file();
        }
        try {
            Path dir = Files.createDirectory(root.resolve(name + "-" + ++made));
            Path copy = dir.resolve(source.getFileName());
            Path partial = dir.resolve(source.getFileName() + ".partial");
            Files.copy(source, partial);
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            byName.put(name, new Copy(stamp, FileStamp.nowNanos(), copy));
            if (existing != null) {
                // A mapped file may be deleted: its mapping keeps the inode for as long as it lasts.
                discard(existing.file());
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " into " + root, e);
        }
    }

    /** Removes a copy that will not be loaded again (a retired generation, a failed load). */
    public void discard(Path copy) {
        if (!copy.startsWith(root)) {
            return;
        }
        byName.values().removeIf(entry -> entry.file().equals(copy));
        try {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.getParent());
        } catch (IOException e) {
            // A copy that cannot be removed costs disk only; close() retries with the whole tree.
        }
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
