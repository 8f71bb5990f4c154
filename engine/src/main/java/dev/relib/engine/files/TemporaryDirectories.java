package dev.relib.engine.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A new private (0700) directory with a name no one else holds, as {@link Files#createTempDirectory}
 * makes, without its SecureRandom: seeding that loaded the JDK's security providers, 15-20 ms of a
 * shell's start before it could spawn its worker. The name needs no secret: the directory is
 * created, never found, so a name someone else took (a file, a link, their own directory) only
 * makes it try another.
 */
public final class TemporaryDirectories {

    private static final int ATTEMPTS = 100;

    private TemporaryDirectories() {
    }

    /** {@code parent/prefixNNN}, created with mode 0700. */
    public static Path create(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path directory = parent.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
            try {
                return Files.createDirectory(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException taken) {
                if (attempt == ATTEMPTS) {
                    throw taken;
                }
            }
        }
    }

    /** {@link #create} under the JVM's temporary directory ({@code java.io.tmpdir}). */
    public static Path create(String prefix) throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }
}
