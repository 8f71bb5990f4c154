package dev.relib.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared objects the sample-modules build made: {@code relib.samples.dir}, else up from the working directory. */
final class SampleLibraries {

    private SampleLibraries() {
    }

    /** {@code rust("calc")} is {@code sample-modules/target/debug/libcalc.so}. */
    static Path rust(String crate) {
        Path path = targetDir().resolve("debug").resolve("lib" + crate + ".so");
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " was not built; run bench/run, which builds it");
        }
        return path;
    }

    private static Path targetDir() {
        String configured = System.getProperty("relib.samples.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("sample-modules/target");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("sample-modules/target not found; pass -Drelib.samples.dir=DIR");
    }
}
