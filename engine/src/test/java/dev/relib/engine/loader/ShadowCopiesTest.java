package dev.relib.engine.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShadowCopiesTest {

    @TempDir
    Path work;

    /** A source last written an hour ago: its stamp is trustworthy. */
    private Path settled(String name, String content) throws Exception {
        Path source = Files.writeString(work.resolve(name), content);
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        return source;
    }

    @Test
    void copiesIntoAPrivateDirectoryAndReusesTheCopyOfAnUnchangedFile() throws Exception {
        Path source = settled("libdemo.so", "version one");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            Path again = copies.copyOf(source, "demo");

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copies.root()))).isEqualTo("rwx------");
            assertThat(first).startsWith(copies.root()).hasFileName("libdemo.so").hasContent("version one");
            assertThat(again).isEqualTo(first);
        }
    }

    @Test
    void aRewrittenFileIsCopiedAgain() throws Exception {
        Path source = settled("libdemo.so", "version one");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            Files.writeString(source, "version two");

            assertThat(copies.copyOf(source, "demo")).isNotEqualTo(first).hasContent("version two");
            copies.awaitDeletions();
            assertThat(first).as("the stale copy is removed").doesNotExist();
        }
    }

    @Test
    void aCopyMadeRightAfterAWriteIsNotTrustedForASecondWriteInTheSameClockTick() throws Exception {
        Path source = Files.writeString(work.resolve("libdemo.so"), "version 4!!");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            FileTime tick = Files.getLastModifiedTime(source);
            // Same size, same inode, and (as a coarse clock would leave it) the same time.
            Files.writeString(source, "version 5!!");
            Files.setLastModifiedTime(source, tick);

            assertThat(copies.copyOf(source, "demo")).isNotEqualTo(first).hasContent("version 5!!");
        }
    }

    @Test
    void aFileReplacedByRenameIsCopiedAgain() throws Exception {
        Path source = settled("libdemo.so", "version one");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            Path replacement = settled("staged.so", "version two");
            Files.move(replacement, source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            assertThat(copies.copyOf(source, "demo")).isNotEqualTo(first).hasContent("version two");
        }
    }

    @Test
    void aSecondInstanceGetsAFileOfItsOwn() throws Exception {
        Path source = settled("libdemo.so", "same bytes");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            Path second = copies.copyOf(source, "demo2");

            assertThat(FileIdentities.of(second)).isNotEqualTo(FileIdentities.of(first));
        }
    }

    @Test
    void aRetiredCopyOfAnUnchangedFileServesTheNextGenerationInsteadOfANewCopy() throws Exception {
        Path source = settled("libdemo.so", "version one");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            Path second = copies.copyOf(source, "demo-g2");
            copies.retire(first);

            Path third = copies.copyOf(source, "demo-g3");

            assertThat(second).isNotEqualTo(first);
            assertThat(third).as("generation 3 takes generation 1's copy").isEqualTo(first).hasContent("version one");
            assertThat(FileIdentities.of(third)).isNotEqualTo(FileIdentities.of(second));
        }
    }

    @Test
    void aSpareOfAFileThatChangedSinceIsRemovedNotReused() throws Exception {
        Path source = settled("libdemo.so", "version one");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            copies.copyOf(source, "demo-g2");
            copies.retire(first);
            Files.writeString(source, "version two");

            Path third = copies.copyOf(source, "demo-g3");

            assertThat(third).isNotEqualTo(first).hasContent("version two");
            copies.awaitDeletions();
            assertThat(first).as("the stale spare is removed").doesNotExist();
        }
    }

    @Test
    void aCopyRetiredWithTheStampOfARebuiltSourceIsDeletedNotKept() throws Exception {
        Path source = settled("libdemo.so", "version one");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            settled("libdemo.so", "version two, rebuilt");
            FileStamp rebuilt = FileStamp.of(source);
            Path second = copies.copyOf(source, rebuilt, "demo-g2");

            copies.retire(first, rebuilt);
            copies.awaitDeletions();

            assertThat(first).as("a copy of the old build is not a spare").doesNotExist();
            assertThat(copies.copyOf(source, "demo-g3")).isNotEqualTo(first).isNotEqualTo(second).hasContent("version two, rebuilt");
        }
    }

    @Test
    void aCopyThatVanishedIsNotTakenAsTheSpare() throws Exception {
        Path source = settled("libdemo.so", "version one");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            copies.copyOf(source, "demo-g2");
            copies.retire(first, FileStamp.of(source));
            Files.delete(first);

            Path third = copies.copyOf(source, "demo-g3");

            assertThat(third).isNotEqualTo(first).hasContent("version one");
        }
    }

    @Test
    void aDiscardedCopyIsDeletedAndNeverReused() throws Exception {
        Path source = settled("libdemo.so", "version one");
        try (ShadowCopies copies = ShadowCopies.create()) {
            Path first = copies.copyOf(source, "demo");
            copies.discard(first);
            copies.awaitDeletions();

            assertThat(first).doesNotExist();
            assertThat(copies.copyOf(source, "demo")).isNotEqualTo(first).exists();
        }
    }

    @Test
    void closeRemovesEveryCopy() throws Exception {
        Path source = settled("libdemo.so", "bytes");
        ShadowCopies copies = ShadowCopies.create();
        copies.copyOf(source, "demo");
        copies.close();

        assertThat(copies.root()).doesNotExist();
    }
}
