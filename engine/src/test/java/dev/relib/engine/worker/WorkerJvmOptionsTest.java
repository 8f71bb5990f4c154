package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class-data archive a worker starts from, and when it writes one (the JVM itself is not started here). */
class WorkerJvmOptionsTest {

    @TempDir
    Path dir;

    private Path jar(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void theFirstWorkerWritesTheArchiveAndPublishesItOnlyAfterACleanExit() throws Exception {
        Path cache = dir.resolve("cache");
        String classPath = jar("a.jar", "a").toString();

        WorkerJvmOptions.Chosen first = WorkerJvmOptions.choose(classPath, cache);
        assertThat(first.options()).containsAll(WorkerJvmOptions.HEAP_AND_COMPILER)
                .noneMatch(o -> o.startsWith("-XX:SharedArchiveFile="))
                .anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
        Path written = first.archiveBeingWritten().orElseThrow();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.getParent()))).isEqualTo("rwx------");

        Files.writeString(written, "what the JVM wrote at exit");
        first.publish(137);
        assertThat(written).doesNotExist();
        assertThat(first.archive()).doesNotExist();

        WorkerJvmOptions.Chosen second = WorkerJvmOptions.choose(classPath, cache);
        Files.writeString(second.archiveBeingWritten().orElseThrow(), "what the JVM wrote at exit");
        second.publish(0);
        assertThat(second.archive()).hasContent("what the JVM wrote at exit");

        WorkerJvmOptions.Chosen third = WorkerJvmOptions.choose(classPath, cache);
        assertThat(third.options()).contains("-XX:SharedArchiveFile=" + second.archive());
        assertThat(third.archiveBeingWritten()).isEmpty();
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
