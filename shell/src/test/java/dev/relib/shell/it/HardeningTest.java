package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.SectionHeader;
import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory;
import dev.relib.shell.ExitCode;
import dev.relib.shell.MainRunner;
import dev.relib.shell.MainRunner.Run;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files, stuck and misbehaving modules, as a user meets them through the shell. */
@Timeout(120)
class HardeningTest {

    private static final Path FAULTS = SampleModules.c("faults");

    /** libcstr.so with a DT_GNU_HASH bloom filter of 0 words: glibc would index past the table in dlopen. */
    private static Path damaged(Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.CSTR);
        SectionHeader hash = ElfFile.open(Fixtures.CSTR).section(".gnu.hash").orElseThrow();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) hash.offset() + 8, 0);
        return Files.write(dir.resolve("libdamaged.so"), bytes);
    }

    @Test
    void aFileTheLoaderWouldCrashOnIsRefusedByCheckLoadAndLoadWithItsDetailCode(@TempDir Path dir) throws Exception {
        Path file = damaged(dir);

        Run run = MainRunner.run(EngineFactory::create, "", "--json", "--keep-going", "-c",
                "check load " + file + "; load " + file + "; modules");

        List<JsonNode> commands = WorkerCrashTest.commandLines(run.out());
        JsonNode check = commands.get(0);
        assertThat(check.get("ok").asBoolean()).isFalse();
        assertThat(check.at("/result/findings/0/code").asText()).isEqualTo("load.invalid_elf");
        assertThat(check.at("/result/findings/0/message").asText()).contains("bloom filter of 0 words");
        JsonNode load = commands.get(1);
        assertThat(load.at("/error/code").asText()).isEqualTo("load.invalid_elf");
        assertThat(load.at("/error/detail").asText()).isEqualTo("gnu_hash.bad_table");
        assertThat(commands.get(2).get("ok").asBoolean()).as("the worker is alive and has nothing loaded").isTrue();
        assertThat(run.exit()).isEqualTo(ExitCode.CHECK_FAILED);
    }

    @Test
    void aLoadPastTheLoadTimeoutEndsTheWorkerAndSaysSo() {
        Run run = MainRunner.run(EngineFactory::create, "", "--json", "-c",
                "set load-timeout 1s; load " + SampleModules.c("slow_init"));

        assertThat(run.exit()).isEqualTo(ExitCode.CRASHED);
        assertThat(run.out()).contains("\"code\":\"load.timeout\"", "still running after 1000 ms");
    }

    @Test
    void loadTimeoutOptionAndSetting() {
        Run run = MainRunner.run(EngineFactory::create, "", "-c", "set load-timeout; set load-timeout 5s; set load-timeout");
        assertThat(run.out()).contains("load-timeout:  30s", "load-timeout:  5s");

        Run zero = MainRunner.run(EngineFactory::create, "", "-c", "load --timeout 0s " + FAULTS);
        assertThat(zero.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(zero.err()).contains("'--timeout'", "is no time at all; give a positive duration");
    }

    @Test
    void terminalControlInModuleOutputIsShownEscaped() {
        Run run = MainRunner.run(EngineFactory::create, "", "-c", "load " + FAULTS + "; call print_escapes()");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("[module stdout] \\x1b[31mred\\x1b[0m \\x1b[2J\\x1b]0;owned\\x07 hidden\\rvisible")
                .doesNotContain("\u001b[31m").doesNotContain("\r");
    }

    @Test
    void aDestructorThatCrashesAtSessionEndIsReportedAndTheScriptExitsWithFour() {
        Run run = MainRunner.run(EngineFactory::create, "", "-c", "load " + FAULTS + "; call crash_at_unload()");

        assertThat(run.exit()).isEqualTo(ExitCode.CRASHED);
        assertThat(run.err()).contains("the worker process died during 'the final unload of faults at session end'",
                "signal:  SIGSEGV", "faults_fini");
    }

    @Test
    void aSegfaultWithStdoutAndStderrClosedIsStillReportedAsOne() {
        Run run = MainRunner.run(EngineFactory::create, "", "-c", "load " + FAULTS + "; call close_stdio_then_segv() -> u32");

        assertThat(run.exit()).isEqualTo(ExitCode.CRASHED);
        assertThat(run.err()).contains("signal:  SIGSEGV", "close_stdio_then_segv", "fault address 0x0")
                .doesNotContain("exited with status 1");
    }
}
