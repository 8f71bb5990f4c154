package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/** Issues 16.1 and 16.4 through the real shell: hostile nesting and huge words leave the session usable. */
@Timeout(90)
class DeepInputTest {

    private SessionHarness shell;

    @AfterEach
    void close() {
        shell.close();
    }

    @EachEngine
    void sevenThousandReferencesInAReturnTypeAreTooDeepAndTheShellGoesOn(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        shell.clear();
        int exit = shell.run("sig echo_u64() -> " + "&".repeat(7_000) + "u8");
        assertThat(exit).isNotZero();
        assertThat(shell.err.toString()).contains("nests types more than 64 deep").doesNotContain("StackOverflow", "internal error");
        shell.clear();
        assertThat(shell.run("call echo_u64(u64) -> u64 5")).isZero();
        assertThat(shell.out.toString().strip()).isEqualTo("5");
    }

    @EachEngine
    void thirtyThousandRawPointersInAParameterAreTooDeepAndTheEngineLives(Mode mode) {
        shell = SessionHarness.json(mode);
        shell.run("load " + Fixtures.VALUES);
        shell.clear();
        int exit = shell.run("call echo_u64(" + "*const ".repeat(30_000) + "u8) -> u64 0");
        assertThat(exit).isEqualTo(ExitCode.FAILED);
        assertThat(shell.out.toString()).contains("\"code\":\"signature.too_deep\"");
        shell.clear();
        assertThat(shell.run("call echo_u64(u64) -> u64 6")).isZero();
        assertThat(shell.out.toString()).contains("\"display\":\"6\"");
    }

    @EachEngine
    void aMebibyteArgumentBareAndQuotedArrivesWhole(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        String word = "y".repeat(1 << 20);
        shell.clear();
        assertThat(shell.run("call count_byte(&[u8], u8) -> usize " + word + " 121")).isZero();
        assertThat(shell.out.toString().strip()).isEqualTo(String.valueOf(1 << 20));
        shell.clear();
        assertThat(shell.run("call count_byte(&str, u8) -> usize \"" + word + "\" 121")).isZero();
        assertThat(shell.out.toString().strip()).isEqualTo(String.valueOf(1 << 20));
    }
}
