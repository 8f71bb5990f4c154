package dev.relib.engine.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShadowCopiesTest {

    @TempDir
    Path work;

    @Test
    void copiesIntoAPrivateDirectoryAndReusesTheCopyOfUnchangedContent() throws Exception {
        Path source = Files.writeString(work.resolve("libdemo.so"), "version one");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            Path again = copies.copyOf(source, "demo");

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copies.root()))).isEqualTo("rwx------");
            assertThat(first).startsWith(copies.root()).hasFileName("libdemo.so").hasContent("version one");
            assertThat(again).isEqualTo(first);

            Files.writeString(source, "version two");
            Path rebuilt = copies.copyOf(source, "demo");
            assertThat(rebuilt).isNotEqualTo(first).hasContent("version two");
            assertThat(first).hasContent("version one");
        }
    }

    @Test
    void aSecondInstanceGetsAFileOfItsOwn() throws Exception {
        Path source = Files.writeString(work.resolve("libdemo.so"), "same bytes");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            Path second = copies.copyOf(source, "demo2");

            assertThat(FileIdentities.of(second)).isNotEqualTo(FileIdentities.of(first));
        }
    }

    @Test
    void closeRemovesEveryCopy() throws Exception {
        Path source = Files.writeString(work.resolve("libdemo.so"), "bytes");
        ShadowCopies copies = ShadowCopies.create();
        copies.copyOf(source, "demo");
        copies.close();

        assertThat(copies.root()).doesNotExist();
    }
}
