package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.SessionHarness;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A C++ module's blocks that libstdc++'s own code allocated (a string's buffer, a grown string's
 * buffer) are the module's in the worker, with the module's line that called libstdc++ as their
 * site, and count in the leak summary.
 */
@Timeout(90)
class CxxRuntimeSitesTest {

    private static int lineOf(String text) throws IOException {
        return SampleSources.lineOf("c/cxxruntime.cpp", text);
    }

    @Test
    void libstdcxxsBlocksHaveTheModulesLineAsTheirSite() throws IOException {
        try (SessionHarness shell = SessionHarness.human(Mode.WORKER)) {
            assertThat(shell.run("load --stacks " + SampleModules.c("cxxruntime")
                    + "; call leak_string(u64) -> u64 200; call leak_grown_string(u64) -> u64 100")).isZero();
            shell.clear();

            assertThat(shell.run("allocs --by site")).isZero();

            // new std::string(200, 'x'): the 32-byte object (the module's new) and its 201-byte buffer
            // (libstdc++'s _M_construct), one site; the grown string's object and its last buffer.
            assertThat(shell.out.toString())
                    .containsPattern("cxxruntime\\s+2\\s+233\\s+leak_string\\s+\\S*cxxruntime.cpp:"
                            + lineOf("*volatile s = new std::string(n, 'x')") + "\\b")
                    .containsPattern("cxxruntime\\s+1\\s+121\\s+leak_grown_string\\s+\\S*cxxruntime.cpp:"
                            + lineOf("s->push_back('g')") + "\\b")
                    .containsPattern("cxxruntime\\s+1\\s+32\\s+leak_grown_string\\s+\\S*cxxruntime.cpp:"
                            + lineOf("new std::string;") + "\\b");

            shell.clear();
            assertThat(shell.run("unload")).isZero();
            assertThat(shell.out.toString()).contains("definitely lost: 64 bytes in 2 blocks")
                    .contains("indirectly lost: 322 bytes in 2 blocks");
        }
    }
}
