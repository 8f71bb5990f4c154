package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class-data archive a worker starts from, and when one is dumped (the worker itself is not started here). */
class WorkerJvmOptionsTest {

    @TempDir
    Path dir;

    private Path jar(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    /** A jar holding one real class, ArchiveContents, for a dump to archive. */
    private Path jarWithAClass() throws Exception {
        return TestJars.write(dir.resolve("worker.jar"),
                Map.of("dev/relib/engine/worker/ArchiveContents.class", TestJars.realClass()));
    }

    @Test
    void theFirstWorkerListsItsClassesAndTheArchiveIsDumpedOnlyAfterACleanExit() throws Exception {
        Path cache = dir.resolve("cache");
        String classPath = jarWithAClass().toString();

        WorkerJvmOptions.Chosen first = WorkerJvmOptions.choose(classPath, cache);
        assertThat(first.options()).containsAll(WorkerJvmOptions.HEAP_AND_COMPILER)
                .noneMatch(o -> o.startsWith("-XX:SharedArchiveFile="))
                .contains("-XX:DumpLoadedClassList=" + first.classListBeingWritten().orElseThrow());
        Path list = first.classListBeingWritten().orElseThrow();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(list.getParent()))).isEqualTo("rwx------");

        // What the JVM lists as it loads classes: its own and the application's, by internal name.
        String classes = "java/lang/Object\njava/lang/String\ndev/relib/engine/worker/ArchiveContents\n";
        Files.writeString(list, classes);
        assertThat(first.publish(137)).as("no dump after a crash").isEmpty();
        assertThat(list).doesNotExist();
        assertThat(first.archive()).doesNotExist();

        WorkerJvmOptions.Chosen second = WorkerJvmOptions.choose(classPath, cache);
        Files.writeString(second.classListBeingWritten().orElseThrow(), classes);
        Process dump = second.publish(0).orElseThrow();
        assertThat(dump.waitFor()).isZero();
        assertThat(second.classListBeingWritten().orElseThrow()).doesNotExist();
        assertThat(second.archive()).isNotEmptyFile();
        try (var files = Files.list(cache.resolve("relib"))) {
            assertThat(files).as("no temporary file left").containsExactly(second.archive());
        }
        // -Xshare:on makes a JVM that cannot map the archive fail instead of running without it.
        Process mapped = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=" + second.archive(), "-cp", classPath, "-version")
                .redirectErrorStream(true).start();
        String output = new String(mapped.getInputStream().readAllBytes());
        assertThat(mapped.waitFor()).as(output).isZero();

        WorkerJvmOptions.Chosen third = WorkerJvmOptions.choose(classPath, cache);
        assertThat(third.options()).contains("-XX:SharedArchiveFile=" + second.archive());
        assertThat(third.classListBeingWritten()).isEmpty();
    }

    @Test
    void whileOneWorkerMakesTheArchiveTheOthersRunWithoutListingTheirClasses() throws Exception {
        Path cache = dir.resolve("cache");
        String classPath = jarWithAClass().toString();

        WorkerJvmOptions.Chosen first = WorkerJvmOptions.choose(classPath, cache);
        WorkerJvmOptions.Chosen meanwhile = WorkerJvmOptions.choose(classPath, cache);

        assertThat(first.classListBeingWritten()).isPresent();
        assertThat(meanwhile.classListBeingWritten()).isEmpty();
        assertThat(meanwhile.options()).isEqualTo(WorkerJvmOptions.HEAP_AND_COMPILER);
        assertThat(meanwhile.publish(0)).isEmpty();

        assertThat(first.publish(137)).as("a crash: no dump, and the claim is let go").isEmpty();
        WorkerJvmOptions.Chosen after = WorkerJvmOptions.choose(classPath, cache);
        assertThat(after.classListBeingWritten()).isPresent();
        after.publish(137);
        try (var files = Files.list(cache.resolve("relib"))) {
            assertThat(files).as("no claim or list left").isEmpty();
        }
    }

    @Test
    void aClaimLeftByAProcessThatIsGoneIsTakenOver() throws Exception {
        Path cache = dir.resolve("cache");
        String classPath = jarWithAClass().toString();
        Path archive = WorkerJvmOptions.archivePath(classPath, cache).orElseThrow();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(archive.getParent());
        Path claim = Files.writeString(archive.resolveSibling(archive.getFileName() + ArchiveClaim.SUFFIX),
                Long.toString(gone.pid()));

        WorkerJvmOptions.Chosen chosen = WorkerJvmOptions.choose(classPath, cache);

        assertThat(chosen.classListBeingWritten()).isPresent();
        assertThat(Files.readString(claim)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        chosen.publish(137);
        assertThat(claim).doesNotExist();
    }

    @Test
    void aChangedJarOrAClassDirectoryGetsNoStaleArchive() throws Exception {
        Path cache = dir.resolve("cache");
        Path jar = jar("a.jar", "a");
        Path before = WorkerJvmOptions.archivePath(jar.toString(), cache).orElseThrow();
        Files.writeString(jar, "rebuilt, longer");

        assertThat(WorkerJvmOptions.archivePath(jar.toString(), cache)).get().isNotEqualTo(before);
        Path classes = Files.createDirectory(dir.resolve("classes"));
        assertThat(WorkerJvmOptions.archivePath(jar + File.pathSeparator + classes, cache)).isEmpty();
        assertThat(WorkerJvmOptions.choose(classes.toString(), cache).options())
                .containsExactlyElementsOf(WorkerJvmOptions.HEAP_AND_COMPILER);
    }

    @Test
    void anArchiveThatOthersCanWriteIsNotUsed() throws Exception {
        Path cache = dir.resolve("cache");
        String classPath = jar("a.jar", "a").toString();
        Path archive = WorkerJvmOptions.archivePath(classPath, cache).orElseThrow();
        Files.createDirectories(archive.getParent(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.writeString(archive, "planted");
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(WorkerJvmOptions.choose(classPath, cache).options())
                .noneMatch(o -> o.contains(archive.toString()));
    }

    @Test
    void classPathEntriesAreMadeAbsolute() {
        String absolute = WorkerJvmOptions.absoluteClassPath("x.jar" + File.pathSeparator + "/opt/y.jar");
        assertThat(absolute.split(File.pathSeparator)).allMatch(entry -> Path.of(entry).isAbsolute())
                .contains("/opt/y.jar");
    }
}
