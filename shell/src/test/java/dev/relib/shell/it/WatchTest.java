package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.model.CallRequest;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.SessionHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** watch: a module rebuilt while it is loaded runs its new code without a restart. */
@Timeout(90)
class WatchTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private Path module;

    private SessionHarness loadedAndWatched(Mode mode, String settle) throws Exception {
        module = work.resolve("libversioned.so");
        Rebuilds.replaceByRename(module, Rebuilds.versioned(1));
        SessionHarness shell = SessionHarness.human(mode);
        assertThat(shell.run("load " + module + "; sig version() -> i32; watch --settle " + settle))
                .as(shell.err.toString()).isZero();
        assertThat(shell.out.toString()).contains("watching versioned: reloads when " + module);
        return shell;
    }

    /** What the module's version() returns now, asked of the engine so the shell's output stays the watch's. */
    private static long version(SessionHarness shell) {
        return (Long) shell.session.engine().call(CallRequest.of("version", null)).value();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", DEADLINE, what).isLessThan(end);
            Thread.sleep(50);
        }
    }

    @EachEngine
    void aModuleReplacedByRenameIsReloadedAndRunsTheNewCode(Mode mode) throws Exception {
        try (SessionHarness shell = loadedAndWatched(mode, "200ms")) {
            Rebuilds.replaceByRename(module, Rebuilds.versioned(2));

            await("the new generation", () -> version(shell) == 2);
            await("the watch's report", () -> shell.out.toString().contains("final_check"));

            assertThat(shell.out.toString()).contains("[watch versioned] reloaded versioned: generation 1 -> 2")
                    .contains("exports added:     extra");
            shell.clear();
            assertThat(shell.run("call version() -> i32")).isZero();
            assertThat(shell.out.toString().strip()).isEqualTo("2");
            assertThat(shell.run("watch")).isZero();
            assertThat(shell.out.toString()).containsPattern("versioned +" + module + " +200 ms .* 1 +reloaded");
        }
    }

    @Test
    void aSlowInPlaceWriteIsReloadedOnceWhenCompleteNeverHalfWritten() throws Exception {
        try (SessionHarness shell = loadedAndWatched(Mode.IN_PROCESS, "400ms")) {
            Rebuilds.writeInPlaceSlowly(module, Rebuilds.versioned(2), 8, 150);

            await("the new generation", () -> version(shell) == 2);
            Thread.sleep(800);

            String out = shell.out.toString();
            assertThat(out).contains("reloaded versioned: generation 1 -> 2")
                    .doesNotContain("not a complete shared object").doesNotContain("failed");
            assertThat(out.split("\\[watch versioned]", -1)).as("one report for one rebuild").hasSize(2);
        }
    }

    @Test
    void aFileThatSettlesTruncatedIsNotLoadedAndTheOldGenerationRuns() throws Exception {
        try (SessionHarness shell = loadedAndWatched(Mode.IN_PROCESS, "150ms")) {
            Rebuilds.truncated(module, Rebuilds.versioned(2));

            await("the watch's notice", () -> shell.out.toString().contains("not a complete shared object"));

            assertThat(shell.out.toString()).doesNotContain("generation 1 -> 2");
            assertThat(version(shell)).isEqualTo(1);
            Rebuilds.replaceByRename(module, Rebuilds.versioned(2));
            await("the complete file", () -> version(shell) == 2);
        }
    }

    @EachEngine
    void theWatchSurvivesTheFileBeingDeletedAndCreatedAgain(Mode mode) throws Exception {
        try (SessionHarness shell = loadedAndWatched(mode, "150ms")) {
            Files.delete(module);
            Thread.sleep(500);
            assertThat(version(shell)).isEqualTo(1);

            Files.copy(Rebuilds.versioned(2), module);

            await("the recreated file", () -> version(shell) == 2);
        }
    }

    @Test
    void watchOffAndUnloadEndTheWatch() throws Exception {
        try (SessionHarness shell = loadedAndWatched(Mode.IN_PROCESS, "100ms")) {
            shell.clear();
            assertThat(shell.run("watch --off")).isZero();
            assertThat(shell.out.toString()).contains("stopped watching versioned");

            Rebuilds.replaceByRename(module, Rebuilds.versioned(2));
            Thread.sleep(700);
            assertThat(version(shell)).isEqualTo(1);
            shell.clear();
            assertThat(shell.run("watch --list")).isZero();
            assertThat(shell.out.toString()).contains("nothing is watched");

            assertThat(shell.run("watch --settle 100ms; unload; watch --list")).as(shell.err.toString()).isZero();
            assertThat(shell.out.toString()).endsWith("nothing is watched; watch MOD starts\n");
            assertThat(shell.run("watch --off nothing")).isNotZero();
            assertThat(shell.err.toString()).contains("nothing is not watched");
        }
    }
}
