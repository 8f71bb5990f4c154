package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import org.junit.jupiter.api.Timeout;

/** allocs, info and unload with the file descriptors a module left open (issue 11, valgrind's --track-fds). */
@Timeout(60)
class OpenFdsCommandTest {

    private static final String FDLEAK = SampleModules.c("fdleak").toString();

    private static JsonNode lastResult(SessionHarness shell) throws Exception {
        return new ObjectMapper().readTree(shell.out.toString().lines().reduce((a, b) -> b).orElseThrow()).path("result");
    }

    @EachEngine
    void allocsAndInfoListTheOpenFdsWithWhatOpenedThemAndWhereAndUnloadStrictFailsOnThem(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load --stacks " + FDLEAK + "; call leak_fds() -> u32");
            shell.clear();

            assertThat(shell.run("allocs")).as(shell.err.toString()).isZero();
            assertThat(shell.out.toString())
                    .contains("open file descriptors of fdleak: 11 file descriptors (2 FILE/DIR streams)")
                    .containsPattern("FD\\s+OPENED BY\\s+WHAT\\s+OPENED AT")
                    .containsPattern("\\d+\\s+open\\s+/dev/null\\s+leak_fds at \\S*fdleak.c:\\d+")
                    .containsPattern("\\d+\\s+socket\\s+socket:\\[\\d+\\]")
                    .containsPattern("\\d+\\s+pipe\\s+pipe:\\[\\d+\\]")
                    .containsPattern("\\d+\\s+eventfd\\s+anon_inode:\\[eventfd\\]")
                    .containsPattern("\\d+\\s+fopen\\s+/dev/null")
                    .containsPattern("\\d+\\s+opendir\\s+/\\s");
            shell.clear();
            assertThat(shell.run("info")).isZero();
            assertThat(shell.out.toString()).containsPattern("open files:\\s+11 file descriptors \\(2 FILE/DIR streams\\)");

            shell.clear();
            assertThat(shell.run("unload --strict")).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(shell.out.toString())
                    .containsPattern("close_fds\\s+failed\\s+left open 11 file descriptors \\(\\d+ /dev/null from open")
                    .contains("left open: 11 file descriptors")
                    .containsPattern("fd \\d+: anon_inode:\\[eventpoll\\], from epoll_create1 \\(leak_fds at \\S*fdleak.c:\\d+\\)")
                    .contains(mode == Mode.WORKER ? "; closed 11" : "not closed: in-process");
        }
    }

    @EachEngine
    void aModuleThatClosesWhatItOpensPassesStrict(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + FDLEAK + "; call open_close_cleanly() -> u32");
            shell.clear();

            assertThat(shell.run("unload --strict")).as(shell.out.toString()).isZero();
            assertThat(shell.out.toString()).containsPattern("close_fds\\s+passed\\s+no open file descriptors");
        }
    }

    @EachEngine
    void jsonCarriesEachFdAndTheCounts(Mode mode) throws Exception {
        try (SessionHarness shell = SessionHarness.json(mode)) {
            shell.run("load " + FDLEAK + "; call leak_dups() -> u32");
            shell.clear();

            assertThat(shell.run("allocs")).isZero();
            JsonNode module = lastResult(shell).path("modules").get(0);
            assertThat(module.path("stats").path("fdsOpen").asLong()).isEqualTo(3);
            assertThat(module.path("stats").path("streamsOpen").asLong()).isZero();
            assertThat(module.path("fds")).extracting(fd -> fd.path("openedBy").asText())
                    .containsExactly("open", "dup", "fcntl");
            assertThat(module.path("fds")).extracting(fd -> fd.path("target").asText()).containsOnly("/dev/zero");

            shell.clear();
            assertThat(shell.run("info")).isZero();
            assertThat(lastResult(shell).path("openFiles").path("fds").asLong()).isEqualTo(3);

            shell.clear();
            assertThat(shell.run("unload")).isZero();
            assertThat(lastResult(shell).path("leaks").path("fds")).hasSize(3);
        }
    }
}
