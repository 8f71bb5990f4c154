package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12.3 through the real shell and values.c: kept values as arguments, buffers, out-parameters,
 * x/FMT, print/read/write of globals, and unmapped memory as an error in both engines.
 */
@Timeout(120)
class ValuesAndMemoryTest {

    private static final Pattern KEPT_ADDRESS = Pattern.compile("(\\$\\d+) = (0x[0-9a-f]+)");

    private SessionHarness shell;

    @AfterEach
    void close() {
        shell.close();
    }

    private String ok(String command) {
        shell.clear();
        int exit = shell.run(command);
        assertThat(exit).as(command + " -> " + shell.out + shell.err).isZero();
        return shell.out.toString().strip();
    }

    private String fails(String command, int exitCode) {
        shell.clear();
        assertThat(shell.run(command)).as(command + " -> " + shell.out).isEqualTo(exitCode);
        return shell.err.toString().strip();
    }

    private static Matcher kept(String output) {
        Matcher m = KEPT_ADDRESS.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m;
    }

    @EachEngine
    void everyResultIsKeptAndPassesAsAnArgument(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        assertThat(ok("call echo_u64(u64) -> u64 41")).isEqualTo("41");
        assertThat(ok("call echo_u64(u64) -> u64 $1")).isEqualTo("41");
        assertThat(ok("call echo_str(&str) -> &str \"tab\\there \\\"q\\\"\"")).isEqualTo("\"tab\\there \\\"q\\\"\"");
        assertThat(ok("call echo_str(&str) -> &str $_")).isEqualTo("\"tab\\there \\\"q\\\"\"");
        assertThat(ok("call echo_f64(f64) -> f64 -inf")).isEqualTo("-inf");
        assertThat(ok("call echo_f64(f64) -> f64 $5")).isEqualTo("-inf");
        assertThat(ok("values")).contains("$1", "u64", "41", "$4", "&str", "$6", "f64");
        assertThat(ok("print $2")).isEqualTo("$2 = 41  (u64)");
        assertThat(fails("call echo_u64(u64) -> u64 $99", ExitCode.USAGE)).contains("$99: no such value", "$1 to $6");
    }

    @EachEngine
    void outParametersArePassedAndPrintedAfterTheCall(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        String opened = ok("call open_handle(*const c_char, *mut *mut handle) -> i32 \"db\" &out *mut handle");
        assertThat(opened.lines().findFirst().orElseThrow()).isEqualTo("0");
        assertThat(opened).contains("&out *mut handle (argument 2): $2 = 0x");
        String handle = kept(opened).group(1);
        assertThat(ok("call handle_name(*const handle) -> *const c_char " + handle)).isEqualTo("\"db\"");
        assertThat(ok("call use_handle(*mut handle) -> u32 " + handle)).isEqualTo("1");
        assertThat(ok("call use_handle(*mut handle) -> u32 " + handle)).isEqualTo("2");
        ok("call close_handle(*mut handle) " + handle);

        String divided = ok("call divmod(u64, u64, *mut u64, *mut u64) -> i32 17 5 &out u64 &out u64");
        assertThat(divided.lines()).containsExactly("0", "&out u64 (argument 3): $7 = 3", "&out u64 (argument 4): $8 = 2");
        assertThat(ok("buf 16")).startsWith("$9 = 0x");
        assertThat(ok("write f64 $9 1.0")).startsWith("$10 = 1.0");
        assertThat(ok("write f64 $9+8 -3.5")).startsWith("$11 = -3.5");
        assertThat(ok("call minmax(*const f64, usize, *mut f64, *mut f64) $9 2 &out f64 &out f64").lines())
                .containsExactly("()", "&out f64 (argument 3): $12 = -3.5", "&out f64 (argument 4): $13 = 1.0");
        // The out-parameters' slots were #1 to #3, freed after their calls; ids are never reused.
        assertThat(ok("buf")).contains("#4").doesNotContain("#1", "#2", "#3");
        ok("buf --free 4");
        assertThat(ok("buf")).contains("no buffers");
    }

    @EachEngine
    void buffersAreZeroedFilledExaminedAndListed(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        String made = ok("alloc 32");
        assertThat(made).startsWith("$1 = 0x").contains("buffer #1, 32 bytes, zeroed; freed at session end");
        String address = kept(made).group(2);
        assertThat(ok("x/8xb $1")).isEqualTo(address + ":  0x00  0x00  0x00  0x00  0x00  0x00  0x00  0x00");
        assertThat(ok("call fill(*mut u8, usize, u8) -> usize $1 8 0xab")).isEqualTo("8");
        assertThat(ok("x/2xg $1")).isEqualTo(address + ":  0xabababababababab  0x0000000000000000");
        assertThat(ok("x/2dw $1")).endsWith(":  -1414812757  -1414812757");
        assertThat(ok("x/3c $1")).endsWith(":  -85 '\\xab'  -85 '\\xab'  -85 '\\xab'");
        assertThat(ok("call write_greeting(*mut c_char, usize, *const c_char) -> i32 $1 32 bob")).isEqualTo("10");
        assertThat(ok("x/s $1")).isEqualTo(address + ":  \"hello, bob\"");
        assertThat(ok("x/s $1+7")).endsWith(":  \"bob\"");
        assertThat(ok("buf 8")).startsWith("$4 = 0x");
        assertThat(ok("buf")).contains("#1", address, "32", "#2", "8");
        assertThat(ok("buf --free 1")).contains("freed buffer #1");
        assertThat(ok("buf")).doesNotContain(address);
        assertThat(fails("buf 0", ExitCode.FAILED)).contains("a buffer of 0 bytes");
    }

    @EachEngine
    void globalsArePrintedReadAndWrittenBySymbol(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        assertThat(ok("print values.COUNTER")).startsWith("$1 = 7  (u32 at 0x").endsWith("<values.COUNTER>)");
        assertThat(ok("call bump() -> u32")).isEqualTo("8");
        assertThat(ok("print u32 COUNTER")).startsWith("$3 = 8  (u32");
        assertThat(ok("write u32 values.COUNTER 100")).startsWith("$4 = 100  (u32");
        assertThat(ok("call bump() -> u32")).isEqualTo("101");
        assertThat(ok("read i64 values.SIGNED_GLOBAL")).startsWith("$6 = -42  (i64");
        assertThat(ok("x/dg values.SIGNED_GLOBAL")).endsWith("<values.SIGNED_GLOBAL>:  -42");
        assertThat(ok("print f64 values.RATIO")).startsWith("$7 = 0.25  (f64");
        assertThat(ok("write f64 values.RATIO -1.5e3")).startsWith("$8 = -1500.0");
        assertThat(ok("print values.GREETING")).startsWith("$9 = b\"hi there\\0\"  (9 bytes at");
        assertThat(ok("x/s values.GREETING")).endsWith("<values.GREETING>:  \"hi there\"");
        assertThat(ok("read *const c_char values.GREETING_POINTER")).startsWith("$10 = \"pointed at\"");
        assertThat(ok("print u8 values.GREETING+1")).startsWith("$11 = 105  (u8");
        assertThat(fails("print values.NO_SUCH", ExitCode.FAILED)).contains("values has no export 'NO_SUCH'");
    }

    @EachEngine
    void unmappedAndReadOnlyMemoryIsAnErrorAndTheSessionGoesOn(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        assertThat(fails("x/8xb 0x10", ExitCode.FAILED)).contains("8 bytes at 0x10 cannot be read", "not mapped readable");
        assertThat(fails("print u64 0", ExitCode.FAILED)).contains("cannot be read");
        assertThat(fails("x/s 0x8", ExitCode.FAILED)).contains("cannot be read");
        assertThat(fails("write u8 values.GREETING 0", ExitCode.FAILED)).contains("cannot be written", "not mapped writable");
        assertThat(fails("write u8 values.bump 0xcc", ExitCode.FAILED)).contains("cannot be written");
        assertThat(fails("write u8 values.COUNTER 300", ExitCode.FAILED)).contains("300 is out of range for u8");
        assertThat(fails("x/4zb 0x10", ExitCode.USAGE)).contains("'z' is not a format");
        String made = ok("buf 4096");
        String address = kept(made).group(2);
        String last = "0x" + Long.toHexString(Long.decode(address) + 4096 - 4);
        assertThat(ok("x/1xw " + last)).endsWith(":  0x00000000");
        assertThat(ok("call echo_u64(u64) -> u64 9")).isEqualTo("9");
    }

    @EachEngine
    void memoryErrorsHaveTheirJsonCodes(Mode mode) {
        shell = SessionHarness.json(mode);
        shell.run("load " + Fixtures.VALUES);
        shell.clear();
        shell.run("x/4xb 0x10");
        assertThat(shell.out.toString()).contains("\"code\":\"memory.unmapped\"");
        shell.clear();
        shell.run("write u8 values.GREETING 1");
        assertThat(shell.out.toString()).contains("\"code\":\"memory.not_writable\"");
        shell.clear();
        shell.run("buf 99999999999");
        assertThat(shell.out.toString()).contains("\"code\":\"memory.too_large\"");
        shell.clear();
        shell.run("buf --free 7");
        assertThat(shell.out.toString()).contains("\"code\":\"memory.unknown_buffer\"");
        shell.clear();
        shell.run("read &str values.GREETING");
        assertThat(shell.out.toString()).contains("\"code\":\"memory.unsupported_type\"");
    }
}
