package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.SessionHarness;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** threads names a Rust thread by the closure passed to spawn, with its line, in debug and release (v0) builds. */
@Timeout(60)
class ThreadStartRoutineTest {


    private static int lineOf(String text) throws IOException {
        return SampleSources.lineOf("frames/src/lib.rs", text);
    }

    @Test
    void aReleaseBuildsThreadIsItsClosureAtItsLine() throws IOException {
        assertStartRoutine(SampleModules.rustRelease("frames"), "frames::spawn_worker::{closure#0}");
    }

    @Test
    void aDebugBuildsThreadIsItsClosureAtItsLine() throws IOException {
        assertStartRoutine(SampleModules.rust("frames"), "frames::spawn_worker::{{closure}}");
    }

    private void assertStartRoutine(Path module, String closure) throws IOException {
        try (SessionHarness shell = SessionHarness.human(Mode.IN_PROCESS)) {
            shell.run("load " + module + "; call spawn_worker(u64) 1000; call join_workers() -> usize");
            shell.clear();

            assertThat(shell.run("threads")).isZero();

            assertThat(shell.out.toString()).contains("frames-worker").contains("exited")
                    .contains(closure + " (lib.rs:" + lineOf("frames: spawn_worker's closure") + ")")
                    .doesNotContain("thread_start");
        }
    }
}
