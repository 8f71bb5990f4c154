package dev.relib.engine.worker;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * Which process is making a class-data archive: a file beside it ({@code ARCHIVE.making}), created
 * only if absent, holding that process's pid. Workers started together with no archive each
 * listed their classes and each started a dump (six concurrent {@code -Xshare:dump}, 180 MB and
 * 2.5 s of CPU each, after six quick runs against an empty cache); with the claim the first lists
 * and dumps, the others run without an archive meanwhile. A claim whose process is gone (a
 * killed shell) is stale and taken over; so is an unreadable one a minute old.
 */
final class ArchiveClaim {

    static final String SUFFIX = ".making";
    private static final long UNREADABLE_STALE_MILLIS = 60_000;

    private ArchiveClaim() {
    }

    /** The claim on {@code archive} for this process, or empty when a live process holds it. */
    static Optional<Path> take(Path archive) throws IOException {
        Path claim = archive.resolveSibling(archive.getFileName() + SUFFIX);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.writeString(claim, Long.toString(ProcessHandle.current().pid()), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return Optional.of(claim);
            } catch (FileAlreadyExistsException held) {
                if (!stale(claim)) {
                    return Optional.empty();
                }
                Files.deleteIfExists(claim);
            }
        }
        return Optional.empty();
    }

    static void release(Path claim) {
        try {
            Files.deleteIfExists(claim);
        } catch (IOException e) {
            // Left behind, it is stale once this process is gone, and taken over then.
        }
    }

    private static boolean stale(Path claim) {
        try {
            String holder = Files.readString(claim).strip();
            if (!holder.isEmpty()) {
                return ProcessHandle.of(Long.parseLong(holder)).map(p -> !p.isAlive()).orElse(true);
            }
        } catch (IOException | NumberFormatException e) {
            // Gone meanwhile, or not a pid: judged by its age below.
        }
        try {
            FileTime written = Files.getLastModifiedTime(claim);
            return System.currentTimeMillis() - written.toMillis() > UNREADABLE_STALE_MILLIS;
        } catch (IOException e) {
            return true;
        }
    }
}
