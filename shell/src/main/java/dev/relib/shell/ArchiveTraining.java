package dev.relib.shell;

import dev.relib.engine.files.TemporaryDirectories;
import dev.relib.engine.worker.ArchiveContents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The session the launcher runs once, with its output discarded, to make the class-data archives:
 * each archive holds what its JVM ran, so a canned session of the main commands against a small C
 * module shipped in the jar makes both archives hold the classes, lambda classes and method-handle
 * forms of load, call, allocs, maps, unload and reload, whatever a user's first session was (a
 * first session of one {@code modules} left every later one creating those at run time).
 */
final class ArchiveTraining {

    /** Set by the launcher on the JVM that runs this session instead of the user's command. */
    static final String PROPERTY = "relib.shell.archiveTraining";

    /**
     * What {@link #loadShellClasses} loads. Jackson too: only {@code --json} output uses it, which
     * the session does not run, and a {@code --json} script of 50 commands ran 30-60 ms faster
     * with its classes in the archive (README, "Performance").
     */
    private static final List<String> SHELL_PACKAGES = List.of("dev/relib/shell/", "dev/relib/engine/",
            "dev/relib/inspectors/", "picocli/", "org/jline/", "com/fasterxml/jackson/");

    private static final String MODULE_RESOURCE = "/native/linux-x86_64/librelib_archive_training.so";

    private ArchiveTraining() {
    }

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /**
     * Runs the session on {@code streams} (a failing command among them, for the error paths, so
     * with keep-going); 0 once it ran, whatever its commands' codes, or 1 when the module could not
     * be extracted.
     */
    static int run(ProcessStreams streams, EngineFactory.Starter engines) {
        Path directory;
        try {
            directory = TemporaryDirectories.create("relib-training");
        } catch (IOException e) {
            return 1;
        }
        Path module = directory.resolve("librelib_archive_training.so");
        try (InputStream in = ArchiveTraining.class.getResourceAsStream(MODULE_RESOURCE)) {
            if (in == null) {
                return 1;
            }
            Files.copy(in, module, StandardCopyOption.REPLACE_EXISTING);
            new Main(streams, engines, handler -> { }, code -> { }).run(arguments(module).toArray(String[]::new));
            return 0;
        } catch (IOException e) {
            return 1;
        } finally {
            deleteQuietly(module);
            deleteQuietly(directory);
        }
    }

    /**
     * Loads every class of the shell's packages, so that the list the launcher's JVM writes, and
     * the archive dumped from it, hold those the session did not use too.
     */
    static void loadShellClasses() {
        ArchiveContents.loadAll(System.getProperty("java.class.path"), ArchiveTraining.class.getClassLoader(),
                SHELL_PACKAGES);
    }

    /** The program's arguments that run the session against the module at {@code module}. */
    static List<String> arguments(Path module) {
        return List.of("-k", "-c", script(module));
    }

    private static String script(Path module) {
        String path = module.toString();
        return String.join("\n",
                "check load " + path,
                "load " + path,
                "modules",
                "info",
                "exports",
                "addr training_add",
                "call training_add(i32, i32) -> i32 2 3",
                "sig training_leak(usize) -> usize",
                "call training_leak 4096",
                "call training_churn(u64) -> u64 1000",
                "call training_map(usize) -> usize 8192",
                "call training_name() -> *const c_char",
                "call training_missing() -> i32",
                "allocs",
                "threads",
                "maps",
                "reload",
                "call training_leak 128",
                "check unload",
                "unload",
                "modules");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A temporary directory left behind holds one small module and is the system's to clean.
        }
    }
}
