package dev.relib.engine.worker;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What a JVM that lists its classes for the class-data archive loads before it exits: every class
 * of its packages, not only those its own session happened to need. The archive holds what its
 * writer loaded, and was written by whichever run came first: after a first script of one
 * {@code modules}, every later worker loaded the classes of load, call and unload from the jar, a
 * 50-command script a tenth slower (bench/run's ShellBench, README). The shell does the same with
 * its own packages.
 */
public final class ArchiveContents {

    /** Set on the worker that lists its classes ({@link WorkerJvmOptions#choose}). */
    static final String WRITING_PROPERTY = "relib.worker.writesArchive";

    /** The worker's packages; the shell's own (and its terminal libraries) never run in a worker. */
    static final List<String> WORKER_PACKAGES = List.of("dev/relib/engine/", "dev/relib/inspectors/",
            "jnr/ffi/", "com/kenai/jffi/", "org/objectweb/asm/");

    private ArchiveContents() {
    }

    /** Loads (without initializing) every class of {@code packages} in the class path's jars; how many. */
    public static int loadAll(String classPath, ClassLoader loader, List<String> packages) {
        int loaded = 0;
        for (String name : classNames(classPath, packages)) {
            try {
                Class.forName(name, false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // A class whose optional dependency is absent: the program never uses it either.
            }
        }
        return loaded;
    }

    /** The binary names of the classes under {@code packages} (paths, as "dev/relib/engine/") in the class path's jars. */
    static List<String> classNames(String classPath, List<String> packages) {
        List<String> names = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                jar.stream().map(JarEntry::getName)
                        .filter(name -> name.endsWith(".class") && !name.contains("-")
                                && packages.stream().anyMatch(name::startsWith))
                        .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                        .forEach(names::add);
            } catch (IOException e) {
                // An unreadable jar: the archive holds what the session loaded.
            }
        }
        return names;
    }
}
