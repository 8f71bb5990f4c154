package dev.relib.engine.relib;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The genuine relib 0.7 modules, built from relib's unchanged source, in {@code ../shared/relib-modules}
 * beside the checkout (CI has it; the system property {@code relib.genuine.dir} overrides). Tests
 * that use them skip, with one line saying why, where the folder is absent.
 */
final class GenuineRelibModules {

    private GenuineRelibModules() {
    }

    static Optional<Path> dir() {
        String configured = System.getProperty("relib.genuine.dir");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isDirectory);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("sample-modules"))) {
                return Optional.of(dir.resolve("../shared/relib-modules").normalize()).filter(Files::isDirectory);
            }
        }
        return Optional.empty();
    }

    /** The module, or the test is skipped. */
    static Path module(String file) {
        Optional<Path> dir = dir();
        Assumptions.assumeTrue(dir.isPresent(), "skipped: no ../shared/relib-modules beside this checkout "
                + "(genuine relib 0.7 modules; set -Drelib.genuine.dir=DIR to use another folder)");
        Path path = dir.get().resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(path), "skipped: " + path + " is not there");
        return path;
    }
}
