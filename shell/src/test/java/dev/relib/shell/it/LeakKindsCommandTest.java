package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** allocs --leaks and unload --strict[=all] with leak kinds, groups by site and size, and suppressions. */
@Timeout(60)
class LeakKindsCommandTest {

    private static final String C_KINDS = SampleModules.c("leakkinds").toString();
    private static final String RUST_KINDS = SampleModules.rust("leakkinds").toString();

    private static final String C_WORKLOAD = "call leak_equal_blocks(u32, u32) -> u32 1000 48; call leak_list(u32) -> u32 5;"
            + " call leak_cycle() -> u32; call keep_cache(u32) -> u32 300; call keep_list(u32) -> u32 4;"
            + " call keep_interior(u32) -> u32 64; call keep_tls(u32) -> u32 200";

    @EachEngine
    void allocsLeaksGivesEachKindInValgrindsWordsAndOneLinePerGroupOfEqualBlocks(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + C_KINDS + "; " + C_WORKLOAD);
            shell.clear();

            assertThat(shell.run("allocs --leaks")).as(shell.err.toString()).isZero();
            assertThat(shell.out.toString())
                    .contains("LEAK SUMMARY for leakkinds:")
                    .contains("definitely lost: 48,064 bytes (46.9 KiB) in 1,002 blocks")
                    .contains("indirectly lost: 160 bytes in 5 blocks")
                    .contains("possibly lost: 64 bytes in 1 block")
                    .contains("still reachable: 628 bytes in 6 blocks")
                    .contains("1,000 blocks of 48 bytes definitely lost")
                    .contains("5 blocks of 32 bytes indirectly lost")
                    .contains("grouped by size: load --stacks")
                    .doesNotContain("smaller");

            shell.clear();
            assertThat(shell.run("allocs")).isZero();
            assertThat(shell.out.toString()).as("malloc's real alignment, and the kind of each block")
                    .containsPattern("0x[0-9a-f]+\\s+300\\s+16\\s+\\d+\\s+still reachable")
                    .containsPattern("0x[0-9a-f]+\\s+64\\s+16\\s+\\d+\\s+possibly lost");
        }
    }

    @EachEngine
    void withStacksTheGroupsAreSitesWithTheirStacksAndASuppressionCountsWhatItHid(Mode mode, @TempDir Path dir)
            throws Exception {
        Path suppressions = dir.resolve("leaks.supp");
        Files.writeString(suppressions, "# the list the test leaks on purpose\nleak_list   # whole line comment after\n"
                + "no_such_function\n");
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load --stacks " + C_KINDS + "; " + C_WORKLOAD);
            shell.clear();

            assertThat(shell.run("allocs --leaks --stacks --suppress " + suppressions)).as(shell.err.toString()).isZero();
            assertThat(shell.out.toString())
                    .as("sites: the helper that called malloc, and the module's function that called it")
                    .containsPattern("1,000 blocks of 48 bytes definitely lost at filled \\(leakkinds.c:\\d+\\) from leak_equal_blocks\n"
                            + "\\s+filled \\(\\S+leakkinds.c:\\d+\\)\n\\s+leak_equal_blocks \\(\\S+leakkinds.c:\\d+\\)")
                    .containsPattern("1 block of 32 bytes definitely lost at filled \\(leakkinds.c:\\d+\\) from leak_cycle")
                    .containsPattern("1 block of 300 bytes still reachable at filled \\(leakkinds.c:\\d+\\) from keep_cache")
                    .contains("suppressed: 160 bytes in 5 blocks")
                    .contains("suppression line 2 'leak_list' hid 5 blocks, 160 bytes")
                    .contains("suppression line 3 'no_such_function' hid 0 blocks, 0 bytes")
                    .contains("definitely lost: 48,032 bytes (46.9 KiB) in 1,001 blocks")
                    .contains("indirectly lost: 32 bytes in 1 block")
                    .doesNotContain("from leak_list");
        }
    }

    @EachEngine
    void strictFailsOnLostBlocksOnlyAndStrictAllOnAnyKindAndEverythingIsFreed(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + RUST_KINDS + "; call print_line() -> usize; call keep_strings(usize, usize) -> usize 3 10");
            shell.clear();
            assertThat(shell.run("unload --strict")).as(shell.err.toString()).isZero();
            assertThat(shell.out.toString()).contains("definitely lost: 0 bytes in 0 blocks")
                    .containsPattern("still reachable: [\\d,]+ bytes in 5 blocks")
                    // In-process nothing is freed that might have left the module unseen (and it says so).
                    .contains(mode == Mode.IN_PROCESS ? "not freed: in-process" : "all of it was freed by relib");

            shell.clear();
            shell.run("load " + RUST_KINDS + "; call print_line() -> usize");
            assertThat(shell.run("unload --strict=all")).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(shell.err.toString()).contains("free_leaks");

            shell.clear();
            shell.run("load " + RUST_KINDS + "; call leak_boxes(usize) -> usize 10");
            assertThat(shell.run("unload --strict leakkinds")).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(shell.out.toString()).contains("definitely lost: 80 bytes in 1 block")
                    .contains("indirectly lost: 320 bytes in 10 blocks")
                    .contains("10 blocks of 32 bytes indirectly lost");
        }
    }

    @EachEngine
    void aRunningModuleThreadsThreadLocalKeepsItsBufferReachable(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + RUST_KINDS + "; call spawn_holder(usize) -> usize 4096");
            shell.clear();
            assertThat(shell.run("allocs --leaks")).as(shell.err.toString()).isZero();
            assertThat(shell.out.toString()).contains("1 block of 4,096 bytes still reachable");
            shell.clear();
            assertThat(shell.run("call release_holder() -> usize")).isZero();
            assertThat(shell.run("allocs --leaks")).isZero();
            assertThat(shell.out.toString()).as("its thread-local destructor freed it at thread exit")
                    .doesNotContain("4,096 bytes");
        }
    }

    @EachEngine
    void suppressedLostBlocksDoNotFailStrict(Mode mode, @TempDir Path dir) throws Exception {
        Path suppressions = dir.resolve("boxes.supp");
        Files.writeString(suppressions, "*leak_boxes*   # the export and the closure inside it\n");
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load --stacks " + RUST_KINDS + "; call leak_boxes(usize) -> usize 4");
            assertThat(shell.run("unload --strict --suppress " + suppressions)).as(shell.out + "\n" + shell.err).isZero();
            assertThat(shell.out.toString()).contains("'*leak_boxes*' hid 5 blocks, 160 bytes");
        }
    }

    @EachEngine
    void jsonCarriesKindsGroupsAndSuppressionCounts(Mode mode) throws Exception {
        try (SessionHarness shell = SessionHarness.json(mode)) {
            shell.run("load " + C_KINDS + "; " + C_WORKLOAD);
            shell.clear();
            assertThat(shell.run("allocs --leaks")).isZero();
            JsonNode result = new ObjectMapper().readTree(shell.out.toString().lines()
                    .reduce((a, b) -> b).orElseThrow()).path("result");
            JsonNode report = result.path("leaks").get(0);
            assertThat(report.path("kinds").get(0).path("kind").asText()).isEqualTo("definitely_lost");
            assertThat(report.path("kinds").get(0).path("blocks").asLong()).isEqualTo(1002);
            JsonNode first = report.path("groups").get(0);
            assertThat(first.path("blocks").asLong()).isEqualTo(1000);
            assertThat(first.path("minSize").asLong()).isEqualTo(48);

            shell.clear();
            assertThat(shell.run("unload")).isZero();
            JsonNode leaks = new ObjectMapper().readTree(shell.out.toString().lines()
                    .reduce((a, b) -> b).orElseThrow()).path("result").path("leaks");
            assertThat(leaks.path("kinds").path("possiblyLost").path("bytes").asLong()).isEqualTo(64);
            assertThat(leaks.path("groups").get(0).path("kind").asText()).isEqualTo("definitely_lost");
        }
    }

    @EachEngine
    void anUnreadableOrBadSuppressionsFileIsOneMessage(Mode mode, @TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.supp");
        Files.writeString(bad, "ok_function\n*\n");
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + C_KINDS);
            assertThat(shell.run("allocs --leaks --suppress " + dir.resolve("missing.supp"))).isNotZero();
            assertThat(shell.err.toString()).contains("cannot read suppressions file").contains("missing.supp");
            shell.clear();
            assertThat(shell.run("allocs --leaks --suppress " + bad)).isNotZero();
            assertThat(shell.err.toString()).contains("line 2").contains("would hide every leak");
            shell.clear();
            assertThat(shell.run("allocs")).as("still usable").isZero();
        }
    }
}
