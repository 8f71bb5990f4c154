package dev.relib.engine.loader;

import dev.relib.engine.model.FileIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** {@code stat}: device and inode of a file ({@link Statx}, else the JDK's unix attribute view). */
public final class FileIdentities {

    private FileIdentities() {
    }

    public static FileIdentity of(Path path) {
        Optional<FileStamp> fast = Statx.stamp(path);
        if (fast.isPresent()) {
            return fast.get().identity();
        }
        try {
            // One stat for both: each getAttribute call would be a stat of its own.
            return of(Files.readAttributes(path, "unix:dev,ino"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + path, e);
        }
    }

    /** The identity in attributes read through the unix view; {@code dev} and {@code ino} among them. */
    static FileIdentity of(Map<String, Object> unixAttributes) {
        return new FileIdentity(((Number) unixAttributes.get("dev")).longValue(),
                ((Number) unixAttributes.get("ino")).longValue());
    }
}
