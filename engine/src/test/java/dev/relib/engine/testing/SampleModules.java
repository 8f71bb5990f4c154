package dev.relib.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared objects that the sample-modules build made. The Maven build passes their
 * directory as {@code relib.samples.dir}; run from an IDE, the directory is found by walking up.
 */
public final class SampleModules {

    /** The system property that names the directory. */
    public static final String DIR_PROPERTY = "relib.samples.dir";

    private SampleModules() {
    }

    /** {@code sample-modules/target}. */
    public static Path targetDir() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("sample-modules/target");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("sample-modules/target not found; build it with: mvn -pl sample-modules compile");
    }

    /** A cargo workspace member's cdylib: {@code rust("sheep")} is {@code target/debug/libsheep.so}. */
    public static Path rust(String crate) {
        return existing(targetDir().resolve("debug").resolve("lib" + crate + ".so"));
    }

    /**
     * A crate's release cdylib: {@code rustRelease("frames")} is {@code target/release/libframes.so}
     * (the Maven build makes the release build of the frames sample only).
     */
    public static Path rustRelease(String crate) {
        return existing(targetDir().resolve("release").resolve("lib" + crate + ".so"));
    }

    /** A C sample: {@code c("cstr")} is {@code target/c/libcstr.so}. */
    public static Path c(String name) {
        return existing(targetDir().resolve("c").resolve("lib" + name + ".so"));
    }

    private static Path existing(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " was not built; run: mvn -pl sample-modules compile");
        }
        return path;
    }
}
