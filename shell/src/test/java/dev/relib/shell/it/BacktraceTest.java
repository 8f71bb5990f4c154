package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Module A (relay, plain) calls module B (fuse, SDK) through a function pointer the shell hands
 * it, and B panics: one backtrace names frames in both modules with file:line, then the Java frames.
 */
@Timeout(60)
class BacktraceTest {

    private static final Path SAMPLES = SampleModules.targetDir().getParent();

    /** The 1-based line of the first line of {@code file} that contains {@code text}. */
    private static int lineOf(String file, String text) throws IOException {
        List<String> lines = Files.readAllLines(SAMPLES.resolve(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    @EachEngine
    void aPanicInModuleBCalledFromModuleANamesFramesOfBothWithTheirLines(Mode mode) throws IOException {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + SampleModules.rust("relay") + "; load " + SampleModules.rust("fuse"));
            shell.clear();

            assertThat(shell.run("call relay.run_callback(*const u8, u32) -> u32 &fuse.explode 3"))
                    .isEqualTo(ExitCode.FAILED);
            assertThat(shell.err.toString()).contains("run_callback -> fuse.explode panicked: fuse: exploded with 3");

            shell.clear();
            assertThat(shell.run("bt")).isZero();
            String bt = shell.out.toString();
            assertThat(bt).contains("[1] fuse panic #1 in explode").contains("fuse: exploded with 3")
                    .contains("fuse::light+").contains("(libfuse.so)")
                    .contains("fuse/src/lib.rs:" + lineOf("fuse/src/lib.rs", "panic!(\"fuse: exploded"))
                    .contains("relay::relay_through+").contains("(librelay.so)")
                    .contains("relay/src/lib.rs:" + lineOf("relay/src/lib.rs", "black_box(callback)(value)"))
                    .contains("run_callback+")
                    .contains("called from the engine thread (Java):")
                    .contains("dev.relib.engine.core.CallDispatcher.call(");
            assertThat(bt.indexOf("fuse::light")).as("innermost first").isLessThan(bt.indexOf("relay::relay_through"));
            assertThat(bt).as("panic machinery hidden by default").doesNotContain("std::panicking");

            shell.clear();
            assertThat(shell.run("bt --all-frames")).isZero();
            assertThat(shell.out.toString()).contains("std::panicking");
        }
    }

    @EachEngine
    void btSaysWhenThereIsNoPanicOrNoSuchPanic(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + SampleModules.rust("fuse"));

            assertThat(shell.run("bt")).isEqualTo(ExitCode.FAILED);
            assertThat(shell.err.toString()).contains("no panic recorded");

            shell.clear();
            shell.run("call explode 1");
            assertThat(shell.run("bt 2")).isEqualTo(ExitCode.FAILED);
            assertThat(shell.err.toString()).contains("there is no panic 2; panics lists 1 to 1");
            assertThat(shell.run("bt 1")).isZero();
        }
    }

    @EachEngine
    void aBacktraceStillResolvesAfterThePanickingGenerationWasReloadedAndUnloaded(Mode mode) throws IOException {
        String panicLine = "fuse/src/lib.rs:" + lineOf("fuse/src/lib.rs", "panic!(\"fuse: exploded");
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + SampleModules.rust("fuse") + "; call explode 2");
            shell.run("reload");
            shell.clear();

            assertThat(shell.run("bt")).isZero();
            assertThat(shell.out.toString()).as("generation 1 is gone from the process")
                    .contains("fuse::light+").contains(panicLine);

            shell.run("unload");
            shell.clear();
            assertThat(shell.run("panics")).isZero();
            assertThat(shell.out.toString()).contains("[1] fuse panic #1 in explode").contains(panicLine);
        }
    }
}
