package dev.relib.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

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
}
