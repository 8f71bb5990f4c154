package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crash reports like gdb's: signal, si_code and fault address, the crashing thread's frames with
 * inlined ones and file:line, the module that crashed; and bt and symbol answering from the dead
 * worker until restart.
 */
@Timeout(120)
class CrashBacktraceTest {

    private static final String CLEAK = SampleModules.c("cleak_O2").toString();

    private static int lineOf(String file, String text) throws IOException {
        return SampleSources.lineOf(file, text);
    }

    @Test
    void aSegfaultTwoInlinedLevelsDownIsReportedFrameByFrame() throws IOException {
        try (SessionHarness shell = SessionHarness.human(Mode.WORKER)) {
            shell.run("load " + CLEAK);

            assertThat(shell.run("call crash(u32) -> u32 3")).isEqualTo(ExitCode.CRASHED);

            String report = shell.err.toString();
            assertThat(report).contains("signal:  SIGSEGV, SEGV_MAPERR (address not mapped), fault address 0x0")
                    .contains("thread:  'relib-module-ow'")
                    .containsPattern("module:  cleak_O2, crashed in store_through at \\S+cleak.c:"
                            + lineOf("c/cleak.c", "cleak: store_through faults"))
                    .contains("entered: crash (called from outside the module)")
                    .contains("backtrace (from the relib agent), innermost first:");
            assertThat(report).containsPattern(frames(
                    "store_through \\[inlined\\] \\(libcleak_O2.so\\) at \\S+/cleak.c:" + lineOf("c/cleak.c", "cleak: store_through faults"),
                    "poke \\[inlined\\] \\(libcleak_O2.so\\) at \\S+/cleak.c:" + lineOf("c/cleak.c", "cleak: poke calls store_through"),
                    "crash\\+0x[0-9a-f]+ \\(libcleak_O2.so\\) at \\S+/cleak.c:" + lineOf("c/cleak.c", "cleak: crash calls poke")));
            assertThat(report).contains("until 'restart', bt shows this backtrace");
        }
    }

    @Test
    void afterTheCrashBtAndSymbolAnswerFromTheDeadWorkerUntilRestart() throws IOException {
        try (SessionHarness shell = SessionHarness.human(Mode.WORKER)) {
            shell.run("load " + CLEAK + "; call crash(u32) -> u32 3");
            shell.clear();

            assertThat(shell.run("bt")).isZero();
            String bt = shell.out.toString();
            assertThat(bt).startsWith("[crash] the worker died of SIGSEGV during 'call crash(u32) -> u32 3'")
                    .containsPattern(frames("store_through \\[inlined\\]", "poke \\[inlined\\]", "crash\\+0x"));
            Matcher pc = Pattern.compile("#0  (0x[0-9a-f]+) store_through").matcher(bt);
            assertThat(pc.find()).isTrue();

            shell.clear();
            assertThat(shell.run("symbol " + pc.group(1))).isZero();
            assertThat(shell.out.toString())
                    .containsPattern("store_through \\[inlined\\] \\(libcleak_O2.so\\) at \\S+/cleak.c:"
                            + lineOf("c/cleak.c", "cleak: store_through faults") + "\\n")
                    .containsPattern("\\n0x[0-9a-f]+ crash\\+0x[0-9a-f]+ \\(libcleak_O2.so\\) at ")
                    .contains("in the dead worker's address space");

            shell.clear();
            assertThat(shell.run("restart; bt")).isEqualTo(ExitCode.FAILED);
            assertThat(shell.err.toString()).contains("no panic recorded");
        }
    }

    @Test
    void aRustPanicAcrossExternCShowsTheUsersPanickingLine() throws IOException {
        try (SessionHarness shell = SessionHarness.human(Mode.WORKER)) {
            shell.run("load " + SampleModules.rustRelease("frames"));

            assertThat(shell.run("call panic_inlined(u32) -> u32 5")).isEqualTo(ExitCode.CRASHED);

            String report = shell.err.toString();
            // The panic unwound to the extern "C" boundary, whose guard aborts: gdb shows that frame too.
            int boundary = lineOf("frames/src/lib.rs", "pub extern \"C\" fn panic_inlined");
            assertThat(report).contains("signal:  SIGABRT, SI_TKILL (sent by tkill: raise, abort)")
                    .contains("panicked at frames/src/lib.rs:" + lineOf("frames/src/lib.rs", "frames: panic_inlined panics"))
                    .containsPattern("module:  frames, crashed in panic_inlined at \\S+frames/src/lib.rs:" + boundary)
                    .containsPattern("#\\d+ +0x[0-9a-f]+ abort\\+0x[0-9a-f]+ \\(libc.so.6\\)");
        }
    }

    @Test
    void inJsonTheCrashCarriesItsSymbolizedFrames() throws Exception {
        try (SessionHarness shell = SessionHarness.json(Mode.WORKER)) {
            shell.run("load " + CLEAK + "; call crash(u32) -> u32 3");

            JsonNode crash = null;
            for (String line : shell.out.toString().lines().toList()) {
                JsonNode node = new ObjectMapper().readTree(line);
                if (node.path("command").asText().startsWith("call")) {
                    crash = node.get("error");
                }
            }
            assertThat(crash).isNotNull();
            assertThat(crash.get("signal").asText()).isEqualTo("SIGSEGV");
            assertThat(crash.at("/nativeCrash/faultAddress").asLong()).isZero();
            assertThat(crash.at("/nativeCrash/signalCode").asInt()).isEqualTo(1);
            assertThat(crash.get("backtrace").get(0).get("function").asText()).isEqualTo("store_through");
            assertThat(crash.get("backtrace").get(0).get("inlined").asBoolean()).isTrue();
            assertThat(crash.get("backtrace").get(2).get("function").asText()).isEqualTo("crash");
            assertThat(crash.get("nativeCrash").has("mappings")).as("the maps stay out of JSON").isFalse();
        }
    }

    /** Consecutive backtrace lines "#N  0xADDR <frame>". */
    private static String frames(String... frames) {
        StringBuilder pattern = new StringBuilder();
        for (String frame : frames) {
            pattern.append("\\n\\s+#\\d+\\s+0x[0-9a-f]+ ").append(frame).append(".*");
        }
        return pattern.toString();
    }
}
