package dev.relib.engine.loader;

import dev.relib.engine.model.FileIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code stat} through the JDK's unix attribute view: device and inode of a file. */
public final class FileIdentities {

    private FileIdentities() {
    }

    public static FileIdentity of(Path path) {
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
