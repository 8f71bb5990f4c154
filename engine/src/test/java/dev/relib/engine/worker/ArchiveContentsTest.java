package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the archive-writing worker loads before it exits: the worker's packages of its jars, nothing else. */
class ArchiveContentsTest {

    @TempDir
    Path dir;

    @Test
    void theClassesOfTheWorkersPackagesAreLoadedAndTheRestLeftAlone() throws Exception {
        byte[] real = TestJars.realClass();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("dev/relib/engine/worker/ArchiveContents.class", real);
        entries.put("dev/relib/engine/Broken.class", "not a class file".getBytes());
        entries.put("dev/relib/shell/Main.class", real);
        entries.put("org/jline/reader/LineReader.class", real);
        entries.put("META-INF/versions/11/dev/relib/engine/worker/ArchiveContents.class", real);
        entries.put("dev/relib/engine/module-info.class", real);
        entries.put("dev/relib/engine/native/librelib_agent.so", real);
        Path jar = TestJars.write(dir.resolve("all.jar"), entries);
        String classPath = jar + java.io.File.pathSeparator + dir.resolve("classes");

        assertThat(ArchiveContents.classNames(classPath, ArchiveContents.WORKER_PACKAGES))
                .containsExactlyInAnyOrder("dev.relib.engine.worker.ArchiveContents", "dev.relib.engine.Broken");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            assertThat(ArchiveContents.loadAll(classPath, loader, ArchiveContents.WORKER_PACKAGES)).as("the broken class is skipped").isEqualTo(1);
            assertThat(Class.forName("dev.relib.engine.worker.ArchiveContents", false, loader).getClassLoader())
                    .as("loaded from the jar").isSameAs(loader);
        }
    }
}
