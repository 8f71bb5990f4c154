package dev.relib.engine.loader;

import dev.relib.engine.model.FileIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code stat} through the JDK's unix attribute view: device and inode of a file. */
public final class FileIdentities {

    private FileIdentities() {
    }

    public static FileIdentity of(Path path) {
        try {
            long device = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
            long inode = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
            return new FileIdentity(device, inode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + path, e);
        }
    }
}
