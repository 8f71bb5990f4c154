package dev.relib.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relib.engine.files.OwnerOnlyPaths;
import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {

    @Test
    void followsXdgStateHomeElseTheDefault() {
        assertThat(HistoryFile.location(Map.of("XDG_STATE_HOME", "/x/state"), "/home/u"))
                .isEqualTo(Path.of("/x/state/relib/history"));
        assertThat(HistoryFile.location(Map.of(), "/home/u"))
                .isEqualTo(Path.of("/home/u/.local/state/relib/history"));
    }

    @Test
    void homeFromTheEnvironmentWinsOverTheAccountsHome() {
        assertThat(HistoryFile.location(Map.of("HOME", "/tmp/elsewhere"), "/home/u"))
                .isEqualTo(Path.of("/tmp/elsewhere/.local/state/relib/history"));
        assertThat(HistoryFile.location(Map.of("HOME", "/tmp/elsewhere", "XDG_STATE_HOME", "/x/state"), "/home/u"))
                .isEqualTo(Path.of("/x/state/relib/history"));
    }

    @Test
    void aRelativeXdgStateHomeIsIgnoredAsTheSpecificationSays() {
        assertThat(HistoryFile.location(Map.of("XDG_STATE_HOME", "state", "HOME", "/h"), "/home/u"))
                .isEqualTo(Path.of("/h/.local/state/relib/history"));
    }

    @Test
    void createsTheFileOwnerOnlyInAnOwnerOnlyDirectory(@TempDir Path dir) throws Exception {
        Path file = HistoryFile.prepare(dir.resolve("state/relib/history"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void narrowsAnExistingReadableFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("history"), "modules\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        HistoryFile.prepare(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo("modules\n");
    }

    @Test
    void refusesAPlantedSymbolicLinkAndLeavesWhatItPointsToAlone(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "not yours\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        Path relib = Files.createDirectories(dir.resolve("state/relib"));
        Files.createSymbolicLink(relib.resolve("history"), victim);

        assertThatThrownBy(() -> HistoryFile.prepare(relib.resolve("history")))
                .isInstanceOf(IOException.class).hasMessageContaining("is a symbolic link");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(victim)).isEqualTo("not yours\n");
    }

    @Test
    void refusesADirectoryEveryoneMayWriteThatIsNotSticky(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> HistoryFile.prepare(shared.resolve("relib/history")))
                .isInstanceOf(IOException.class).hasMessageContaining("writable by every user and not sticky");
    }

    @Test
    void refusesAFileOrDirectoryOfAnotherUser(@TempDir Path dir) throws Exception {
        assumeTrue(OwnerOnlyPaths.currentUid() == 0, "needs root to give a file to another user");
        Path relib = Files.createDirectories(dir.resolve("state/relib"));
        Path planted = Files.writeString(relib.resolve("history"), "load /tmp/evil.so\n");
        Files.setAttribute(planted, "unix:uid", 65534);

        assertThatThrownBy(() -> HistoryFile.prepare(planted)).isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to another user (uid 65534)");

        Files.delete(planted);
        Files.setAttribute(relib, "unix:uid", 65534);
        assertThatThrownBy(() -> HistoryFile.prepare(planted)).isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to another user (uid 65534)");
    }
}
