package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** reload, load --lazy-reload and allocs --by generation, on real builds copied over each other as a rebuild would. */
@Timeout(90)
class ReloadCommandTest {

    @TempDir
    Path work;

    private Path installed(int version) throws Exception {
        Path module = work.resolve("libversioned.so");
        Rebuilds.replaceByRename(module, Rebuilds.versioned(version));
        return module;
    }

    @EachEngine
    void aRebuildReloadsUnderTheSameNameAndReportsWhatChanged(Mode mode) throws Exception {
        Path module = installed(1);
        try (SessionHarness shell = SessionHarness.human(mode)) {
            assertThat(shell.run("load " + module + "; sig version() -> i32; call version")).isZero();
            Rebuilds.replaceByRename(module, Rebuilds.versioned(2));
            shell.clear();

            assertThat(shell.run("reload")).as(shell.err.toString()).isZero();

            String report = shell.out.toString();
            assertThat(report).contains("reloaded versioned: generation 1 -> 2")
                    .contains("exports added:     extra")
                    .contains("exports removed:   none")
                    .contains("retired generation 1:")
                    .containsPattern("file size: +[0-9,]+ bytes.* -> [0-9,]+ bytes")
                    .containsPattern("final_check +passed");
            shell.clear();
            assertThat(shell.run("call version; modules")).isZero();
            assertThat(shell.out.toString()).startsWith("2\n");
        }
    }

    @EachEngine
    void aTruncatedNewFileFailsAndTheOldGenerationKeepsRunning(Mode mode) throws Exception {
        Path module = installed(1);
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + module + "; sig version() -> i32");
            Rebuilds.truncated(module, Rebuilds.versioned(2));
            shell.clear();

            assertThat(shell.run("reload")).isEqualTo(ExitCode.FAILED);

            assertThat(shell.out.toString()).contains("reload of versioned failed: generation 1 keeps running");
            assertThat(shell.err.toString()).contains("error: reload of versioned failed:")
                    .contains("libversioned.so");
            shell.clear();
            assertThat(shell.run("call version")).isZero();
            assertThat(shell.out.toString().strip()).isEqualTo("1");
        }
    }

    @Test
    void aNewFileLackingARememberedExportFailsAndTheOldKeepsServingIt() throws Exception {
        Path module = installed(1);
        try (SessionHarness shell = SessionHarness.human(Mode.IN_PROCESS)) {
            shell.run("load " + module + "; sig feature() -> i32; sig version() -> i32");
            Rebuilds.replaceByRename(module, Rebuilds.versioned(3));
            shell.clear();

            assertThat(shell.run("reload")).isEqualTo(ExitCode.FAILED);

            assertThat(shell.out.toString()).contains("exports removed:   feature");
            assertThat(shell.err.toString()).contains("lacks feature");
            shell.clear();
            assertThat(shell.run("call feature; call version")).isZero();
            assertThat(shell.out.toString().lines()).containsExactly("10", "1");
        }
    }

    @EachEngine
    void aRunningThreadRefusesTheReloadAndForceKeepsBothGenerations(Mode mode) throws Exception {
        Path threads = Files.copy(SampleModules.rust("threads"), work.resolve("libthreads.so"));
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + threads + "; call spawn_sleeper()");
            shell.clear();

            assertThat(shell.run("reload")).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(shell.out.toString()).contains("reload of threads refused: generation 1 keeps running");
            assertThat(shell.err.toString()).contains("still running").contains("--force keeps both");
            shell.clear();

            assertThat(shell.run("reload --force")).as(shell.err.toString()).isZero();
            assertThat(shell.out.toString())
                    .contains("reloaded threads: generation 1 -> 2; generation 1 keeps running as threads@1")
                    .doesNotContain("warning:");
            assertThat(shell.err.toString()).contains("warning: the old generation could not be unloaded");
            shell.clear();
            assertThat(shell.run("modules")).isZero();
            assertThat(shell.out.toString()).contains("threads@1");
            assertThat(shell.run("call threads@1.stop_sleepers() -> u32")).as(shell.err.toString()).isZero();
        }
    }

    @Test
    void strictReloadsWhenNoKnownSignatureChanged() throws Exception {
        Path module = installed(1);
        try (SessionHarness shell = SessionHarness.human(Mode.IN_PROCESS)) {
            shell.run("load " + module + "; sig version() -> i32");
            Rebuilds.replaceByRename(module, Rebuilds.versioned(2));
            shell.clear();

            assertThat(shell.run("reload --strict")).as(shell.err.toString()).isZero();

            assertThat(shell.out.toString()).contains("reloaded versioned: generation 1 -> 2")
                    .contains("signature changed: none");
        }
    }

    @EachEngine
    void lazyReloadReloadsAtTheNextCallAndSaysSo(Mode mode) throws Exception {
        Path module = installed(1);
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load --lazy-reload " + module + "; sig version() -> i32");
            Rebuilds.replaceByRename(module, Rebuilds.versioned(2));
            shell.clear();

            assertThat(shell.run("call version")).isZero();
            assertThat(shell.out.toString().lines())
                    .containsExactly("reloaded versioned: generation 1 -> 2 (+extra)", "2");
            shell.clear();
            assertThat(shell.run("call version")).isZero();
            assertThat(shell.out.toString().lines()).as("unchanged since").containsExactly("2");
        }
    }

    @EachEngine
    void allocsByGenerationListsWhatEachRetiredGenerationLeaked(Mode mode) throws Exception {
        Path leaky = Files.copy(SampleModules.rust("leaky"), work.resolve("libleaky.so"));
        try (SessionHarness shell = SessionHarness.human(mode)) {
            assertThat(shell.run("load " + leaky + "; call leak_bytes(usize) 1048576; reload; "
                    + "call leak_bytes(usize) 2000; call leak_bytes(usize) 3000; reload; call leak_bytes(usize) 64"))
                    .as(shell.err.toString()).isZero();
            assertThat(shell.out.toString()).contains("LEAK SUMMARY for leaky generation 1:")
                    .contains("definitely lost: 1,048,576 bytes (1.0 MiB) in 1 block");
            shell.clear();

            assertThat(shell.run("allocs --by generation")).isZero();

            List<String> lines = shell.out.toString().lines().toList();
            assertThat(lines.get(0)).isEqualTo("generations of leaky:");
            assertThat(lines.get(1).split(" {2,}"))
                    .containsExactly("GEN", "LOADED", "RETIRED", "OUTCOME", "LEAKED BLOCKS", "LEAKED BYTES");
            assertThat(lines.subList(2, lines.size())).hasSize(3);
            assertThat(cells(lines.get(2))).startsWith("1").endsWith("unloaded", "1", "1,048,576");
            assertThat(cells(lines.get(3))).startsWith("2").endsWith("unloaded", "2", "5,000");
            assertThat(cells(lines.get(4))).startsWith("3").endsWith("-", "running", "1 live", "64 live");
        }
    }

    @EachEngine
    void generationsBeyondTheLatestHundredShareOneRow(Mode mode) throws Exception {
        Path leaky = Files.copy(SampleModules.rust("leaky"), work.resolve("libleaky.so"));
        StringBuilder script = new StringBuilder("load " + leaky);
        for (int i = 1; i <= 102; i++) {
            script.append("; call leak_bytes(usize) ").append(i * 100).append("; reload");
        }
        try (SessionHarness shell = SessionHarness.human(mode)) {
            assertThat(shell.run(script.toString())).as(shell.err.toString()).isZero();
            shell.clear();

            assertThat(shell.run("allocs --by generation")).isZero();

            List<String> lines = shell.out.toString().lines().toList();
            assertThat(lines.subList(2, lines.size())).as("the earlier ones, a hundred, the running one").hasSize(102);
            assertThat(cells(lines.get(2))).startsWith("1-2").endsWith("2 earlier", "2", "300");
            assertThat(cells(lines.get(3))).startsWith("3").endsWith("unloaded", "1", "300");
            assertThat(cells(lines.get(103))).startsWith("103").contains("running");
        }
    }

    private static List<String> cells(String line) {
        return List.of(line.split(" {2,}"));
    }
}
