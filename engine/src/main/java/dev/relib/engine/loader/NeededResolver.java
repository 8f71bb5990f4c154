package dev.relib.engine.loader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers "would the dynamic linker find this {@code DT_NEEDED} entry?" without loading anything:
 * already open in the process, or found along the search order of ld.so(8): {@code DT_RPATH}
 * (when there is no {@code DT_RUNPATH}), {@code LD_LIBRARY_PATH}, {@code DT_RUNPATH}, the
 * directories of {@code /etc/ld.so.conf}, then the system defaults.
 */
public final class NeededResolver {

    private static final List<String> DEFAULT_DIRS = List.of(
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib");

    private final DynamicLinker linker;
    private final List<Path> configuredDirs;

    public NeededResolver(DynamicLinker linker) {
        this.linker = linker;
        this.configuredDirs = readLdSoConf(Path.of("/etc/ld.so.conf"), new LinkedHashSet<>());
    }

    /**
     * The entries of {@code needed} that no search path resolves.
     *
     * @param origin  the directory of the object that needs them ({@code $ORIGIN})
     * @param rpath   its {@code DT_RPATH}, or null
     * @param runpath its {@code DT_RUNPATH}, or null
     */
    public List<String> unresolved(List<String> needed, Path origin, String rpath, String runpath) {
        List<String> unresolved = new ArrayList<>();
        List<Path> searchPath = null;
        for (String name : needed) {
            if (name.contains("/")) {
                if (!Files.isRegularFile(Path.of(name))) {
                    unresolved.add(name);
                }
            } else if (!linker.listsName(name)) {
                // Most needed libraries are open already (libc, libgcc_s): the path is built for the rest.
                if (searchPath == null) {
                    searchPath = searchPath(origin, rpath, runpath);
                }
                // Last, dlopen's own answer: it also knows names an object was loaded by that no link map shows.
                if (!foundAlong(name, searchPath) && !linker.isOpen(Path.of(name))) {
                    unresolved.add(name);
                }
            }
        }
        return List.copyOf(unresolved);
    }

    private List<Path> searchPath(Path origin, String rpath, String runpath) {
        List<Path> searchPath = new ArrayList<>();
        if (runpath == null) {
            searchPath.addAll(split(rpath, origin));
        }
        searchPath.addAll(split(System.getenv("LD_LIBRARY_PATH"), origin));
        searchPath.addAll(split(runpath, origin));
        searchPath.addAll(configuredDirs);
        DEFAULT_DIRS.forEach(dir -> searchPath.add(Path.of(dir)));
        return searchPath;
    }

    private static boolean foundAlong(String name, List<Path> searchPath) {
        for (Path dir : searchPath) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> split(String pathList, Path origin) {
        if (pathList == null || pathList.isBlank()) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        for (String entry : pathList.split(":")) {
            if (!entry.isEmpty()) {
                String expanded = entry.replace("${ORIGIN}", origin.toString()).replace("$ORIGIN", origin.toString());
                dirs.add(Path.of(expanded));
            }
        }
        return dirs;
    }

    /** The directories listed in ld.so.conf, following its {@code include} globs. */
    private static List<Path> readLdSoConf(Path conf, Set<Path> seen) {
        List<Path> dirs = new ArrayList<>();
        if (!seen.add(conf) || !Files.isRegularFile(conf)) {
            return dirs;
        }
        try {
            for (String raw : Files.readAllLines(conf)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("include ")) {
                    String pattern = line.substring("include ".length()).strip();
                    Path base = pattern.startsWith("/") ? Path.of(pattern) : conf.resolveSibling(pattern);
                    try (DirectoryStream<Path> matches =
                                 Files.newDirectoryStream(base.getParent(), base.getFileName().toString())) {
                        for (Path match : matches) {
                            dirs.addAll(readLdSoConf(match, seen));
                        }
                    }
                } else {
                    dirs.add(Path.of(line));
                }
            }
        } catch (IOException e) {
            // An unreadable ld.so.conf only narrows the search; the defaults still apply.
        }
        return dirs;
    }
}
