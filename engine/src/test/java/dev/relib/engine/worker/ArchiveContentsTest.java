package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the archive-writing worker loads before it exits: the worker's packages of its jars, nothing else. */
class ArchiveContentsTest {

    @TempDir
    Path dir;

    @Test
    void theClassesOfTheWorkersPackagesAreLoadedAndTheRestLeftAlone() throws Exception {
        byte[] real;
        try (InputStream in = ArchiveContents.class.getResourceAsStream("ArchiveContents.class")) {
            real = in.readAllBytes();
        }
        Path jar = dir.resolve("all.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            put(out, "dev/relib/engine/worker/ArchiveContents.class", real);
            put(out, "dev/relib/engine/Broken.class", "not a class file".getBytes());
            put(out, "dev/relib/shell/Main.class", real);
            put(out, "org/jline/reader/LineReader.class", real);
            put(out, "META-INF/versions/11/dev/relib/engine/worker/ArchiveContents.class", real);
            put(out, "dev/relib/engine/module-info.class", real);
            put(out, "dev/relib/engine/native/librelib_agent.so", real);
        }
        String classPath = jar + java.io.File.pathSeparator + dir.resolve("classes");

        assertThat(ArchiveContents.classNames(classPath, ArchiveContents.WORKER_PACKAGES))
                .containsExactlyInAnyOrder("dev.relib.engine.worker.ArchiveContents", "dev.relib.engine.Broken");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            assertThat(ArchiveContents.loadAll(classPath, loader, ArchiveContents.WORKER_PACKAGES)).as("the broken class is skipped").isEqualTo(1);
            assertThat(Class.forName("dev.relib.engine.worker.ArchiveContents", false, loader).getClassLoader())
                    .as("loaded from the jar").isSameAs(loader);
        }
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws Exception {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }
}
