package dev.relib.engine.worker;

import dev.relib.engine.files.OwnerOnlyPaths;
import dev.relib.engine.files.UserDirectories;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The JVM settings of a worker: a short-lived helper that runs native code, not Java, so it is
 * tuned to start fast and stay small (measured in bench/run's ShellBench rows):
 * <ul>
 * <li>a small heap with a fixed ceiling, serial GC: the default initial heap (1/64 of the machine)
 *     let eden grow the resident set by a hundred megabytes over a long script;</li>
 * <li>C1 only ({@code TieredStopAtLevel=1}): C2's compile threads competed with the engine for the
 *     CPU during the whole of a short session, and its code was not faster for it;</li>
 * <li>an application class-data archive of the worker's classes (AppCDS), dumped from the list of
 *     classes the first worker loaded ({@link StaticArchiveDump}), every class of the engine's
 *     packages among them ({@link ArchiveContents}), and used by every later one while the JVM and
 *     class path are the ones it was made with. It lives in the per-user cache
 *     ({@code $XDG_CACHE_HOME/relib}, else {@code ~/.cache/relib}), in a directory of this user's
 *     alone; a file there that is not this user's own is not used.</li>
 * </ul>
 * Class paths with directories (a build's test classes) cannot be archived; those workers run
 * without the archive.
 */
public final class WorkerJvmOptions {

    static final List<String> HEAP_AND_COMPILER = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx256m",
            "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");
    private static final String ARCHIVE_PREFIX = "worker-classes-";

    /**
     * The options; the list of classes this worker writes as it runs, when no archive exists yet
     * and no other worker is making it (with this process's {@link ArchiveClaim} on it); the
     * archive; and the class path the archive is for.
     */
    record Chosen(List<String> options, Optional<Path> classListBeingWritten, Path archive, String classPath,
                  Optional<Path> claim) {

        /** How long the worker may take to exit once told to: the one that lists its classes loads them all first. */
        long exitMillis() {
            return classListBeingWritten.isPresent() ? 30_000 : 5_000;
        }

        /**
         * Once the worker exited cleanly, starts the dump of the archive from its list, to appear
         * under the name later workers look for when complete; the dumping process, if one started.
         */
        Optional<Process> publish(int exitStatus) {
            if (classListBeingWritten.isEmpty()) {
                return Optional.empty();
            }
            Path list = classListBeingWritten.get();
            Optional<Process> dump = Optional.empty();
            try {
                if (exitStatus == 0 && Files.size(list) > 0) {
                    dump = StaticArchiveDump.start(list, classPath, HEAP_AND_COMPILER, archive, claim.orElseThrow());
                }
                Files.deleteIfExists(list);
            } catch (IOException e) {
                // No archive: the next worker starts without one and lists its classes again.
            }
            if (dump.isEmpty()) {
                claim.ifPresent(ArchiveClaim::release);
            }
            return dump;
        }
    }

    private WorkerJvmOptions() {
    }

    /** The java launcher of the running JVM: workers and the archive's dump run the same Java. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The heap and compiler settings every worker runs with: what a benchmark of the engine should run with too. */
    public static List<String> heapAndCompiler() {
        return HEAP_AND_COMPILER;
    }

    static Chosen choose(String classPath, Path cacheRoot) {
        List<String> options = new ArrayList<>(HEAP_AND_COMPILER);
        Optional<Path> archive = archivePath(classPath, cacheRoot);
        if (archive.isEmpty()) {
            return plain(classPath);
        }
        Path file = archive.get();
        // The archive's own messages (a class it skips, a stale file) are the JVM's, not the module's output.
        options.add("-Xlog:cds=off");
        options.add("-Xlog:cds+dynamic=off");
        String absoluteClassPath = absoluteClassPath(classPath);
        try {
            OwnerOnlyPaths.directory(file.getParent());
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                OwnerOnlyPaths.requireOwnFile(file);
                options.add("-XX:SharedArchiveFile=" + file);
                return new Chosen(options, Optional.empty(), file, absoluteClassPath, Optional.empty());
            }
            Optional<Path> claim = ArchiveClaim.take(file);
            if (claim.isEmpty()) {
                return plain(classPath);
            }
            try {
                Path list = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".classlist");
                options.add("-XX:DumpLoadedClassList=" + list);
                options.add("-D" + ArchiveContents.WRITING_PROPERTY + "=true");
                return new Chosen(options, Optional.of(list), file, absoluteClassPath, claim);
            } catch (IOException e) {
                ArchiveClaim.release(claim.get());
                throw e;
            }
        } catch (IOException e) {
            return plain(classPath);
        }
    }

    /** No archive used or made: the class path cannot have one, or another worker is making it. */
    private static Chosen plain(String classPath) {
        return new Chosen(new ArrayList<>(HEAP_AND_COMPILER), Optional.empty(), null, classPath, Optional.empty());
    }

    /** Named by the JVM and every class path jar (path, size, time): any change makes a new archive. */
    static Optional<Path> archivePath(String classPath, Path cacheRoot) {
        StringBuilder key = new StringBuilder(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n');
        for (String entry : absoluteClassPath(classPath).split(File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath();
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                return Optional.empty();
            }
            try {
                key.append(jar).append(' ').append(Files.size(jar)).append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(cacheRoot.resolve("relib").resolve(ARCHIVE_PREFIX + hash(key.toString()) + ".jsa"));
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * The class path with each entry absolute: the archive records the entries as the worker was
     * given them, and a relative one would match only from the same working directory.
     */
    static String absoluteClassPath(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator))
                .map(entry -> entry.isEmpty() ? entry : Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** As the agent's cache: {@code $XDG_CACHE_HOME} when absolute, else {@code ~/.cache}. */
    static Path defaultCacheRoot() {
        return UserDirectories.ofThisProcess().cache();
    }
}
