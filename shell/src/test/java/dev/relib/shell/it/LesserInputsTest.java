package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.relib.engine.model.HostBuffer;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import dev.relib.shell.render.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16.7's lesser items, one test each (integers and -inf/-nan are in ArgumentSyntaxTest). */
@Timeout(120)
class LesserInputsTest {

    @TempDir
    Path dir;

    private SessionHarness shell;

    @AfterEach
    void close() {
        if (shell != null) {
            shell.close();
        }
    }

    @EachEngine
    void aZeroTimeoutIsRefusedAndTheWorkerLives(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        shell.clear();
        assertThat(shell.run("call echo_u64(u64) -> u64 1 --timeout 0ms")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("'0ms' is no time at all");
        shell.clear();
        assertThat(shell.run("set timeout 0s")).isNotZero();
        assertThat(shell.err.toString()).contains("no time at all");
        shell.clear();
        assertThat(shell.run("call echo_u64(u64) -> u64 1 --timeout 0")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("number and a unit");
        shell.clear();
        assertThat(shell.run("call echo_u64(u64) -> u64 1 --timeout 5s")).isZero();
        assertThat(shell.out.toString().strip()).isEqualTo("1");
    }

    @EachEngine
    void longNamesAreRefusedOrShortenedNotAnIoException(Mode mode) throws Exception {
        shell = SessionHarness.human(mode);
        shell.clear();
        assertThat(shell.run("load " + Fixtures.VALUES + " --as " + "n".repeat(300))).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("at most 128 characters, not 300").doesNotContain("Exception");
        Path longFile = Files.copy(Fixtures.VALUES, dir.resolve("lib" + "v".repeat(249) + ".so"));
        shell.clear();
        assertThat(shell.run("load " + longFile)).as(shell.err.toString()).isZero();
        assertThat(shell.out.toString()).contains("loaded " + "v".repeat(128) + " (#1)");
        shell.clear();
        assertThat(shell.run("load " + dir.resolve("x".repeat(300) + ".so"))).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("File name too long").doesNotContain("no such file");
    }

    @EachEngine
    void aFileInAnUnsearchableDirectoryIsNotNoSuchFile(Mode mode) throws Exception {
        assumeThat(System.getProperty("user.name")).as("root searches any directory").isNotEqualTo("root");
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.copy(Fixtures.VALUES, locked.resolve("libvalues.so"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            shell = SessionHarness.human(mode);
            assertThat(shell.run("load " + locked.resolve("libvalues.so"))).isEqualTo(ExitCode.FAILED);
            assertThat(shell.err.toString()).contains("permission denied").doesNotContain("no such file");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @EachEngine
    void aDottedTargetWhosePrefixIsNoModuleSaysSo(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES + "; load " + Fixtures.CSTR);
        shell.clear();
        assertThat(shell.run("addr nosuch.x")).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("no module 'nosuch' is loaded; loaded: values, cstr")
                .doesNotContain("several modules");
        shell.clear();
        assertThat(shell.run("call nosuch.x() -> u8")).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("no module 'nosuch' is loaded");
    }

    @EachEngine
    void aNonUtf8ScriptNamesTheByteNotInputLength(Mode mode) throws Exception {
        shell = SessionHarness.human(mode);
        Path script = Files.write(dir.resolve("latin1.relib"), new byte[] {'h', 'e', 'l', 'p', '\n', '#', ' ', (byte) 0xe9, '\n'});
        assertThat(shell.run("source " + script)).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("not UTF-8 text (byte 0xe9 at offset 7)").doesNotContain("Input length");
    }

    @EachEngine
    void aCutByteVectorSaysSoInItsJsonValue(Mode mode) {
        shell = SessionHarness.json(mode);
        shell.run("load " + Fixtures.VALUES);
        shell.clear();
        assertThat(shell.run("call echo_bytes(&[u8]) -> &[u8] " + "z".repeat((1 << 20) + 1))).isZero();
        assertThat(shell.out.toString()).contains("7a7a ... (first 1048576 of 1048577 bytes)\",\"display\"");
    }

    @Test
    void jsonWritesAddressesAboveTwoToTheSixtyThreeUnsigned() throws Exception {
        String json = JsonMapper.create().writeValueAsString(new HostBuffer(1, 0xffffffffff600000L, 4096));
        assertThat(json).isEqualTo("{\"id\":1,\"address\":18446744073699065856,\"size\":4096}");
    }
}
