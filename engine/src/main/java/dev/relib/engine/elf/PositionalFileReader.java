package dev.relib.engine.elf;

import dev.relib.engine.error.LoadError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Reads byte ranges of one file with positional reads into heap arrays. It never maps the file: a
 * mapping would show in {@code /proc/self/maps}, which the before-load and final unload checks
 * read. Each read opens the file and closes it before returning, so no descriptor outlives a call.
 */
final class PositionalFileReader {

    /** Java arrays top out a little below 2^31 elements. */
    private static final long MAX_READ = Integer.MAX_VALUE - 8;

    private final Path path;
    private final Object fileKey;
    private final long size;
    private final FileTime modified;

    private PositionalFileReader(Path path, BasicFileAttributes attributes) {
        this.path = path;
        this.fileKey = attributes.fileKey();
        this.size = attributes.size();
        this.modified = attributes.lastModifiedTime();
    }

    /** Checks that {@code path} names a regular file and remembers its identity and size. */
    static PositionalFileReader of(Path path) {
        BasicFileAttributes attributes = attributes(path);
        // Checked before any open: opening a FIFO or a device could block or have side effects.
        if (!attributes.isRegularFile()) {
            throw new LoadError.NotAFile(path);
        }
        return new PositionalFileReader(path, attributes);
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    LoadError.InvalidElf invalid(String what) {
        return new LoadError.InvalidElf(path, what);
    }

    /** A defect the dynamic loader would trip on, named by a stable {@code detail} code. */
    LoadError.InvalidElf unsafe(String detail, String what) {
        return new LoadError.InvalidElf(path, detail, what);
    }

    /** Whether {@code [offset, offset + length)} lies inside the file; safe for any signed values. */
    boolean contains(long offset, long length) {
        return offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
    }

    /**
     * The bytes at {@code [offset, offset + length)}.
     *
     * @param what names the region in the error message when it lies outside the file
     */
    byte[] read(long offset, long length, String what) {
        if (!contains(offset, length)) {
            throw invalid(what + " lies outside the file (offset " + offset + ", " + length
                    + " bytes; file has " + size + ")");
        }
        if (length > MAX_READ) {
            throw invalid(what + " is too large to read (" + length + " bytes)");
        }
        byte[] bytes = new byte[(int) length];
        if (length == 0) {
            return bytes;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        requireUnchanged();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw invalid("truncated while reading " + what + "; the file changed since it was opened");
                }
            }
        } catch (IOException e) {
            throw translate(path, e);
        }
        return bytes;
    }

    /** Tables are read lazily, so a rebuild between reads must not yield a mix of two files. */
    private void requireUnchanged() {
        BasicFileAttributes now = attributes(path);
        if (!Objects.equals(now.fileKey(), fileKey) || now.size() != size
                || !now.lastModifiedTime().equals(modified)) {
            throw invalid("changed on disk since it was opened; open it again");
        }
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw translate(path, e);
        }
    }

    private static LoadError translate(Path path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new LoadError.FileNotFound(path);
        }
        if (e instanceof AccessDeniedException) {
            return new LoadError.Unreadable(path, "permission denied");
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return new LoadError.Unreadable(path, fse.getReason());
        }
        return new LoadError.Unreadable(path, String.valueOf(e.getMessage()));
    }
}
