package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.SessionHarness;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The site rule on allocations made through std's generic code (vec!, Box::new, format!, a
 * HashMap) and through helpers a release build inlines: the site is the user's line, in debug and
 * release builds alike, and the full stack still shows std's frames.
 */
@Timeout(90)
class AllocationSiteRuleTest {

    private static final String EXPORTS = "call site_vec() -> usize; call site_box() -> usize;"
            + " call site_format(u32) -> usize 7; call site_map(u32) -> usize 100; call site_inlined(usize) -> usize 300";

    private static int lineOf(String text) throws IOException {
        return SampleSources.lineOf("frames/src/lib.rs", text);
    }

    @Test
    void debugBuildSitesAreTheUsersLines() throws IOException {
        assertSitesAreTheUsersLines(SampleModules.rust("frames"), Mode.WORKER);
    }

    @Test
    void releaseBuildSitesAreTheUsersLinesThroughInlinedFrames() throws IOException {
        assertSitesAreTheUsersLines(SampleModules.rustRelease("frames"), Mode.IN_PROCESS);
    }

    private void assertSitesAreTheUsersLines(Path module, Mode mode) throws IOException {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            assertThat(shell.run("load --stacks " + module + "; " + EXPORTS)).isZero();
            shell.clear();

            assertThat(shell.run("allocs --by site")).isZero();

            String out = shell.out.toString();
            assertThat(out).containsPattern(site(4096, "site_vec", "frames: site_vec allocates"))
                    .containsPattern(site(8, "site_box", "frames: site_box allocates"))
                    .containsPattern(site(-1, "site_format", "frames: site_format allocates"))
                    .containsPattern(site(-1, "site_map", "frames: site_map allocates"))
                    .containsPattern(site(-1, "frames::fill", "frames: fill allocates"));
            assertThat(out).as("no std, core, alloc or hashbrown frame is a site")
                    .doesNotContainPattern("(?m)^frames\\s+\\S+\\s+\\S+\\s+<?(alloc|core|std|hashbrown)::")
                    .doesNotContainPattern("(?m)^frames .*\\s/(rustc|rust/deps)/");

            shell.clear();
            assertThat(shell.run("allocs --stacks --limit 1")).isZero();
            String stacks = shell.out.toString();
            assertThat(stacks).as("the 4 KiB vec![7u8; 4096] is the largest block")
                    .contains("4,096 bytes at site_vec at ")
                    .containsPattern("\\n => site_vec at .*frames/src/lib.rs:" + lineOf("frames: site_vec allocates"))
                    .as("std's frames above the site are still there, a keypress away")
                    .containsPattern("alloc::vec::from_elem.* at /rustc/");
        }
    }

    /** A row of allocs --by site: module, blocks, bytes (any when negative), function, file:line. */
    private static String site(long bytes, String function, String lineText) throws IOException {
        String size = bytes < 0 ? "[0-9,]+" : String.format("%,d", bytes);
        return "frames\\s+[0-9,]+\\s+" + size + "\\s+" + Pattern.quote(function) + "\\s+\\S*frames/src/lib.rs:"
                + lineOf(lineText) + "\\b";
    }
}
