package dev.relib.engine.worker;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the worker that writes the class-data archive loads before it exits: every class of the
 * engine and of the libraries it runs on, not only those its own session happened to need. The
 * archive holds what its writer loaded, and was written by whichever worker ran first: after a
 * first script of one {@code modules}, every later worker loaded the classes of load, call and
 * unload from the jar, a 50-command script a tenth slower (bench/run's ShellBench, README).
 */
final class ArchiveContents {

    /** Set on the worker that writes the archive ({@link WorkerJvmOptions#choose}). */
    static final String WRITING_PROPERTY = "relib.worker.writesArchive";

    /** The worker's packages; the shell's own (and its terminal libraries) never run in a worker. */
    private static final List<String> PACKAGES = List.of("dev/relib/engine/", "dev/relib/inspectors/",
            "com/fasterxml/jackson/", "jnr/ffi/", "com/kenai/jffi/", "org/objectweb/asm/");

    private ArchiveContents() {
    }

    /** Loads (without initializing) every class of the worker's packages in the class path's jars; how many. */
    static int loadAll(String classPath, ClassLoader loader) {
        int loaded = 0;
        for (String name : classNames(classPath)) {
            try {
                Class.forName(name, false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // A class whose optional dependency is absent: the worker never uses it either.
            }
        }
        return loaded;
    }

    /** The binary names of the classes under the worker's packages in the class path's jars. */
    static List<String> classNames(String classPath) {
        List<String> names = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                jar.stream().map(JarEntry::getName)
                        .filter(name -> name.endsWith(".class") && !name.contains("-")
                                && PACKAGES.stream().anyMatch(name::startsWith))
                        .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                        .forEach(names::add);
            } catch (IOException e) {
                // An unreadable jar: the archive holds what the session loaded.
            }
        }
        return names;
    }
}
