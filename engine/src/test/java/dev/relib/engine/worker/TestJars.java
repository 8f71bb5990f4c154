package dev.relib.engine.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Jars written by a test, of entries it names. */
final class TestJars {

    private TestJars() {
    }

    /** The bytes of a real class file: ArchiveContents', compiled for this build. */
    static byte[] realClass() throws IOException {
        try (InputStream in = ArchiveContents.class.getResourceAsStream("ArchiveContents.class")) {
            return in.readAllBytes();
        }
    }

    /** Writes {@code jar} holding {@code entries} (name to content), in the map's order. */
    static Path write(Path jar, Map<String, byte[]> entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }
}
