package dev.relib.engine.loader;

import dev.relib.engine.model.FileIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a file looked like: identity, size, modification time. A rebuild changes at least one
 * (cargo replaces the file: a new inode; an in-place write: a new size or time).
 */
public record FileStamp(FileIdentity identity, long size, long modifiedNanos) {

    /** Longer than any file system's timestamp granularity that matters here. */
    private static final long RACY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** The file's stamp now; a file that cannot be read has a stamp equal to no real one. */
    public static FileStamp of(Path file) {
        Optional<FileStamp> fast = Statx.stamp(file);
        if (fast.isPresent()) {
            return fast.get();
        }
        try {
            // One stat: a stamp is taken several times per load and reload.
            Map<String, Object> attributes = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime");
            return new FileStamp(FileIdentities.of(attributes), ((Number) attributes.get("size")).longValue(),
                    ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            return new FileStamp(null, -1, -1);
        }
    }

    /**
     * This stamp's identity, or, when the stat behind it failed, the file's as
     * {@link FileIdentities#of} gives it (which says why it cannot).
     */
    public FileIdentity identityOf(Path file) {
        return identity != null ? identity : FileIdentities.of(file);
    }

    /** Now, on the clock file modification times use. */
    public static long nowNanos() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    // Written out for the reason FileIdentity's are: the generated ones are not inlined by C1.
    @Override
    public boolean equals(Object other) {
        return other instanceof FileStamp that && size == that.size && modifiedNanos == that.modifiedNanos
                && Objects.equals(identity, that.identity);
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(identity) * 31 + Long.hashCode(size)) * 31 + Long.hashCode(modifiedNanos);
    }

    public boolean changedSince(FileStamp earlier) {
        return !equals(earlier);
    }

    /**
     * Modified so shortly before {@code instantNanos} that a second write in the same clock tick
     * could have left size and time unchanged: such a stamp proves nothing (git calls it "racy").
     */
    public boolean racyAt(long instantNanos) {
        return instantNanos - modifiedNanos < RACY_WINDOW_NANOS;
    }
}
