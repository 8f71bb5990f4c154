package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.ExitCode;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.SessionHarness;
import org.junit.jupiter.api.Timeout;

/** allocs, threads, maps and the unload report's leak summary, on the agent's sample modules. */
@Timeout(60)
class TrackingCommandsTest {

    private static final String LEAKY = SampleModules.rust("leaky").toString();
    private static final String THREADS = SampleModules.rust("threads").toString();
    private static final String MMAP = SampleModules.rust("mmap").toString();

    @EachEngine
    void allocsListsWhatWasLeakedAndUnloadSummarisesAndFreesIt(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + LEAKY + "; call leak_bytes(usize) 1000; call leak_bytes(usize) 2000;"
                    + " call leak_bytes(usize) 3000");
            shell.clear();

            assertThat(shell.run("allocs")).isZero();
            assertThat(shell.out.toString()).contains("leaky   3            6,000")
                    .contains("largest live blocks of leaky").containsPattern("0x[0-9a-f]+\\s+3,000");

            shell.clear();
            assertThat(shell.run("unload")).isZero();
            assertThat(shell.out.toString()).contains("free_leaks       warned   leaked 3 blocks, 6000 bytes")
                    // Vec::with_capacity never writes its bytes: stale pointers in them may make one of
                    // the three "indirectly" lost (the scan cannot tell unwritten bytes; valgrind can).
                    .containsPattern("definitely lost: [\\d,]+ bytes in [1-3] blocks?")
                    .doesNotContain("still reachable: 1").doesNotContain("possibly lost: 1")
                    .contains("unloaded leaky; final check passed");
            if (mode == Mode.IN_PROCESS) {
                // Without the preloaded agent a block may have left the module unseen: never freed, and said.
                assertThat(shell.out.toString()).contains("not freed: in-process").doesNotContain("all of it was freed");
            } else {
                assertThat(shell.out.toString()).contains("all of it was freed by relib");
            }
        }
    }

    @EachEngine
    void unloadStrictFailsTheCheckOnALeakWithExitCode3(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + LEAKY + "; call leak_box() -> usize");

            assertThat(shell.run("unload --strict")).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(shell.err.toString()).contains("free_leaks");
        }
    }

    @EachEngine
    void threadsShowsTheStartRoutineByNameAndARunningThreadRefusesTheUnload(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + THREADS + "; call spawn_sleeper(); call spawn_finisher(); call join_finished() -> u32");
            shell.clear();

            assertThat(shell.run("threads")).isZero();
            assertThat(shell.out.toString()).contains("running").contains("exited")
                    .as("the closures passed to spawn, not std's trampoline")
                    .containsPattern("relib-sleeper\\s+running\\s+threads::spawn_sleeper::\\{\\{closure\\}\\} \\(lib.rs:\\d+\\)")
                    .containsPattern("relib-finisher\\s+exited\\s+threads::spawn_finisher::\\{\\{closure\\}\\} \\(lib.rs:\\d+\\)")
                    .doesNotContain("thread_start");

            shell.clear();
            assertThat(shell.run("unload")).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(shell.out.toString()).containsPattern("threads\\s+failed").contains("RUNNING THREAD");
            assertThat(shell.err.toString()).contains("threads was not unloaded").contains("stays loaded and usable");

            shell.clear();
            assertThat(shell.run("call thread_count() -> u32")).as("still usable").isZero();
        }
    }

    @EachEngine
    void mapsShowsTheFileSegmentsAndTheMappingsTheModuleLeftBehind(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + MMAP + "; call map_anon(usize) -> *mut u8 65536");
            shell.clear();

            assertThat(shell.run("maps")).isZero();
            assertThat(shell.out.toString()).contains("libmmap.so").contains("r-xp")
                    .contains("mappings the module made").contains("65,536 bytes (64.0 KiB)").contains("anonymous");
        }
    }

    @EachEngine
    void theSameReportsAsJson(Mode mode) throws Exception {
        try (SessionHarness shell = SessionHarness.json(mode)) {
            shell.run("load " + LEAKY + "; call leak_bytes(usize) 1000; allocs; unload");

            JsonNode[] lines = shell.out.toString().lines().map(TrackingCommandsTest::parse).toArray(JsonNode[]::new);
            JsonNode allocs = lines[2];
            assertThat(allocs.get("command").asText()).isEqualTo("allocs");
            assertThat(allocs.at("/result/modules/0/stats/liveBytes").asLong()).isEqualTo(1000);
            JsonNode unload = lines[3];
            assertThat(unload.at("/result/leaks/bytes").asLong()).isEqualTo(1000);
            assertThat(unload.at("/result/outcome").asText()).isEqualTo("UNLOADED");
        }
    }

    private static JsonNode parse(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
