package dev.relib.shell.it;

import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** A module file rebuilt under a running shell, the ways build tools write one. */
final class Rebuilds {

    private Rebuilds() {
    }

    /** The versioned sample's build {@code version} (1, 2 or 3): its {@code version()} returns that number. */
    static Path versioned(int version) {
        return SampleModules.c("versioned_v" + version);
    }

    /** What cargo does: write the new file under another name, then rename it over the old one. */
    static void replaceByRename(Path target, Path build) throws IOException {
        Path staged = target.resolveSibling(target.getFileName() + ".staged");
        Files.copy(build, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A slow writer: the file truncated in place, then written in {@code chunks} pieces with a pause after each. */
    static void writeInPlaceSlowly(Path target, Path build, int chunks, long pauseMillis)
            throws IOException, InterruptedException {
        byte[] bytes = Files.readAllBytes(build);
        int chunk = (bytes.length + chunks - 1) / chunks;
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (int offset = 0; offset < bytes.length; offset += chunk) {
                out.write(bytes, offset, Math.min(chunk, bytes.length - offset));
                out.flush();
                Thread.sleep(pauseMillis);
            }
        }
    }

    /** The first third of the build: what a writer interrupted mid-file leaves behind. */
    static void truncated(Path target, Path build) throws IOException {
        byte[] bytes = Files.readAllBytes(build);
        Files.write(target, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    }
}
