package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * Every argument form that relib-commands(7) documents for {@code call}, typed into the shell and
 * echoed back by values.c's exports: what arrives is what the man page says, in both engines.
 */
@Timeout(90)
class ArgumentSyntaxTest {

    private SessionHarness shell;

    @AfterEach
    void close() {
        shell.close();
    }

    /** Runs one command and returns what it printed, failing on any error. */
    private String call(String command) {
        shell.clear();
        int exit = shell.run(command);
        assertThat(exit).as(command + " -> " + shell.out + shell.err).isZero();
        return shell.out.toString().strip();
    }

    private void load() {
        shell.run("load " + Fixtures.VALUES);
    }

    @EachEngine
    void integersInEveryDocumentedForm(Mode mode) {
        shell = SessionHarness.human(mode);
        load();
        assertThat(call("call echo_u64(u64) -> u64 42")).isEqualTo("42");
        assertThat(call("call echo_u64(u64) -> u64 0x2a")).isEqualTo("42");
        assertThat(call("call echo_u64(u64) -> u64 0b101010")).isEqualTo("42");
        assertThat(call("call echo_u64(u64) -> u64 0o52")).isEqualTo("42");
        assertThat(call("call echo_u64(u64) -> u64 1_000_000")).isEqualTo("1000000");
        assertThat(call("call echo_i64(i64) -> i64 -7")).isEqualTo("-7");
        assertThat(call("call echo_u64(u64) -> u64 0xffff_ffff_ffff_ffff")).isEqualTo("18446744073709551615");
    }

    @EachEngine
    void boolCharAndFloats(Mode mode) {
        shell = SessionHarness.human(mode);
        load();
        assertThat(call("call echo_bool(bool) -> bool true")).isEqualTo("true");
        assertThat(call("call echo_bool(bool) -> bool false")).isEqualTo("false");
        assertThat(call("call echo_char(char) -> char 'a'")).isEqualTo("'a'");
        assertThat(call("call echo_char(char) -> char a")).isEqualTo("'a'");
        assertThat(call("call echo_char(char) -> u32 '\\n'")).isEqualTo("10");
        assertThat(call("call echo_char(char) -> u32 U+1F600")).isEqualTo(String.valueOf(0x1F600));
        assertThat(call("call echo_f64(f64) -> f64 1.5")).isEqualTo("1.5");
        assertThat(call("call echo_f64(f64) -> f64 -2e10")).isEqualTo("-20000000000.0");
        assertThat(call("call echo_f64(f64) -> f64 inf")).isEqualTo("inf");
        assertThat(call("call echo_f64(f64) -> f64 -inf")).isEqualTo("-inf");
        assertThat(call("call echo_f64(f64) -> f64 nan")).isEqualTo("NaN");
        assertThat(call("call echo_f32(f32) -> f32 -nan")).isEqualTo("NaN");
    }

    @EachEngine
    void pointersAsAddressesNullAndAnotherExport(Mode mode) {
        shell = SessionHarness.human(mode);
        load();
        assertThat(call("call echo_ptr(*const u8) -> usize 0x7f3a2c001000")).isEqualTo(String.valueOf(0x7f3a2c001000L));
        assertThat(call("call echo_ptr(*const u8) -> usize 4096")).isEqualTo("4096");
        assertThat(call("call echo_ptr(*const u8) -> usize null")).isEqualTo("0");
        assertThat(call("call echo_ptr(Option<&u8>) -> usize None")).isEqualTo("0");
        assertThat(call("call echo_ptr(Option<&u8>) -> usize Some(0x10)")).isEqualTo("16");
        String bump = call("call echo_ptr(*const u8) -> *const u8 &values.bump");
        shell.clear();
        shell.run("symbol " + bump);
        assertThat(shell.out.toString()).contains("bump");
    }

    @EachEngine
    void quotedStringsKeepEveryEscape(Mode mode) {
        shell = SessionHarness.human(mode);
        load();
        assertThat(call("call echo_cstr(*const c_char) -> *const c_char \"a b\\tc\\nd\"")).isEqualTo("\"a b\\tc\\nd\"");
        assertThat(call("call echo_cstr(*const c_char) -> *const c_char \"say \\\"hi\\\" \\\\ back\""))
                .isEqualTo("\"say \\\"hi\\\" \\\\ back\"");
        assertThat(call("call echo_str(&str) -> &[u8] \"\\x41\\u{1F600}\"")).isEqualTo("b\"A\\xf0\\x9f\\x98\\x80\"");
        assertThat(call("call echo_bytes(*const c_char, usize) -> &[u8] \"\\xff\" 1")).isEqualTo("b\"\\xff\"");
        assertThat(call("call echo_str(&str) -> &str bare_word")).isEqualTo("\"bare_word\"");
        assertThat(call("call echo_str(&str) -> &str 'single quoted \\n'")).isEqualTo("\"single quoted \\\\n\"");
        assertThat(call("call echo_cstr(*const c_char) -> *const c_char \"null\"")).isEqualTo("\"null\"");
        assertThat(call("call echo_cstr(*const c_char) -> usize null")).isEqualTo("0");
    }

    @EachEngine
    void byteSlicesInEveryDocumentedForm(Mode mode) {
        shell = SessionHarness.human(mode);
        load();
        assertThat(call("call echo_bytes(&[u8]) -> &[u8] b\"abc\"")).isEqualTo("b\"abc\"");
        assertThat(call("call echo_bytes(&[u8]) -> &[u8] b\"\\x00\\xffz\"")).isEqualTo("b\"\\0\\xffz\"");
        assertThat(call("call echo_bytes(&[u8]) -> &[u8] [1, 2, 0xff]")).isEqualTo("b\"\\x01\\x02\\xff\"");
        assertThat(call("call echo_bytes(&[u8]) -> &[u8] [1,2,0xff]")).isEqualTo("b\"\\x01\\x02\\xff\"");
        assertThat(call("call echo_bytes(&[u8]) -> &[u8] [ ]")).isEqualTo("b\"\"");
        assertThat(call("call echo_bytes(&[u8]) -> &[u8] hex:0a0b")).isEqualTo("b\"\\n\\x0b\"");
        assertThat(call("call echo_bytes(&[u8]) -> &[u8] text")).isEqualTo("b\"text\"");
        assertThat(call("call echo_bytes(&[u8]) -> &[u8] \"two words\"")).isEqualTo("b\"two words\"");
    }

    @EachEngine
    void badLiteralsAreRefusedByName(Mode mode) {
        shell = SessionHarness.human(mode);
        load();
        shell.clear();
        assertThat(shell.run("call echo_u64(u64) -> u64 ١٢")).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("not an ASCII digit");
        shell.clear();
        assertThat(shell.run("call echo_u64(u64) -> u64 １２")).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("not an ASCII digit");
        shell.clear();
        assertThat(shell.run("call echo_u64(u64) -> u64 0X10")).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("lower case");
        shell.clear();
        assertThat(shell.run("call echo_u64(u64) -> u64 0B10")).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("lower case");
        shell.clear();
        assertThat(shell.run("call echo_bytes(&[u8]) -> &[u8] [1, 256]")).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("byte 2 (256) is out of range");
        shell.clear();
        assertThat(shell.run("call echo_bytes(&[u8]) -> &[u8] [1, 2")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("never closed");
    }
}
