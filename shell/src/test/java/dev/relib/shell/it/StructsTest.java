package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12.3's structs: declared once, passed by pointer and by value and returned by value, one
 * case per x86-64 SysV class (two SSE eightbytes, mixed INTEGER, MEMORY above 16 bytes, two f32 in
 * one SSE eightbyte, an array member), against values.c compiled by gcc.
 */
@Timeout(120)
class StructsTest {

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

    private String fails(String command) {
        shell.clear();
        assertThat(shell.run(command)).as(command + " -> " + shell.out).isNotZero();
        return shell.err.toString().strip();
    }

    @EachEngine
    void structsByValueAndByPointerInEveryClass(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        assertThat(ok("#[repr(C)] struct Point { x: f64, y: f64 }"))
                .startsWith("struct Point { x: f64, y: f64 }  (16 bytes, align 8)").contains("8  y: f64  (8 bytes)");
        assertThat(ok("call point_dot(Point, Point) -> f64 {x: 1.5, y: 2} Point { x: 4, y: -1 }")).isEqualTo("4.0");
        assertThat(ok("call point_dot_ptr(*const Point, &Point) -> f64 {1, 2} {y: 4, x: 3}")).isEqualTo("11.0");
        assertThat(ok("call point_scale(Point, f64) -> Point {x: 1, y: -2} 2.5")).isEqualTo("Point { x: 2.5, y: -5.0 }");

        assertThat(ok("struct Mixed { a: i32, b: f32, c: i64 }")).contains("(16 bytes, align 8)", "4  b: f32");
        assertThat(ok("call mixed_sum(Mixed) -> f64 {a: -3, b: 0.5, c: 10}")).isEqualTo("7.5");
        assertThat(ok("call mixed_make(i32, f32, i64) -> Mixed 1 2.5 -9")).isEqualTo("Mixed { a: 1, b: 2.5, c: -9 }");

        assertThat(ok("struct Big { a: i64, b: i64, c: i64 }")).contains("(24 bytes, align 8)");
        assertThat(ok("call big_sum(Big) -> i64 {1, 2, 3}")).isEqualTo("6");
        assertThat(ok("call big_make(i64) -> Big 10")).isEqualTo("Big { a: 10, b: 11, c: 12 }");
        assertThat(ok("struct Triple { v: [i64; 3] }")).contains("(24 bytes, align 8)");
        assertThat(ok("call big_sum(Triple) -> i64 {v: [4, 5, 6]}")).isEqualTo("15");
        assertThat(ok("call big_make(i64) -> Triple -1")).isEqualTo("Triple { v: [-1, 0, 1] }");

        assertThat(ok("struct PairF32 { x: f32, y: f32 }")).contains("(8 bytes, align 4)");
        assertThat(ok("call pair_f32_sum(PairF32) -> f32 {1.25, 2.5}")).isEqualTo("3.75");

        String made = ok("buf 16");
        String buffer = made.substring(0, made.indexOf(' '));
        ok("write f64 " + buffer + " 3");
        ok("write f64 " + buffer + "+8 4");
        ok("call point_scale_in_place(*mut Point, f64) " + buffer + " 2");
        assertThat(ok("call point_dot_ptr(*const Point, *const Point) -> f64 " + buffer + " {1, 1}")).isEqualTo("14.0");
        assertThat(ok("struct")).contains("struct Point", "struct Mixed", "struct Big", "struct Triple", "struct PairF32");
    }

    @Test
    void restartDeclaresTheStructsAgainBeforeTheSignaturesThatNameThem() {
        shell = SessionHarness.human(Mode.WORKER);
        shell.run("load " + Fixtures.VALUES);
        ok("struct Point { x: f64, y: f64 }");
        ok("sig point_scale(Point, f64) -> Point");

        assertThat(ok("restart")).contains("loaded again: values (#1)").doesNotContain("not restored");
        assertThat(ok("struct")).contains("struct Point { x: f64, y: f64 }");
        assertThat(ok("call point_scale {x: 1, y: -2} 2")).isEqualTo("Point { x: 2.0, y: -4.0 }");
    }

    @EachEngine
    void badDeclarationsAndLiteralsAreRefusedByName(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES + "; struct Point { x: f64, y: f64 }");
        assertThat(fails("call point_dot(Point, Point) -> f64 {x: 1} {1, 2}")).contains("field y of Point is missing");
        assertThat(fails("call point_dot(Point, Point) -> f64 {x: 1, z: 2} {1, 2}")).contains("Point has no field 'z'");
        assertThat(fails("call point_dot(Point, Point) -> f64 Other {1, 2} {1, 2}")).contains("names 'Other'");
        assertThat(fails("call point_dot(Point, Point) -> f64 {1, 2, 3} {1, 2}")).contains("too many values");
        assertThat(fails("call point_dot(Point, Point) -> f64 {x: 1, y: nope} {1, 2}")).contains("field y ('nope')");
        assertThat(fails("struct Bad { s: &str }")).contains("&str as a struct field");
        assertThat(fails("struct Empty { }")).contains("without fields");
        assertThat(fails("call point_dot(Nope, Point) -> f64 1 {1, 2}")).contains("unknown type 'Nope'");
    }

    @EachEngine
    void aRedeclaredStructIsWhatTheSameSignatureTextMeansFromThenOn(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.VALUES);
        ok("struct Three { a: i64, b: i64, c: i64 }");
        assertThat(ok("call big_sum(Three) -> i64 {1, 2, 3}")).isEqualTo("6");
        assertThat(ok("call big_make(i64) -> Three 7")).isEqualTo("Three { a: 7, b: 8, c: 9 }");

        ok("struct Three { v: [i64; 3] }");
        assertThat(ok("call big_sum(Three) -> i64 {v: [4, 5, 6]}")).isEqualTo("15");
        assertThat(ok("call big_make(i64) -> Three 7")).isEqualTo("Three { v: [7, 8, 9] }");
        assertThat(fails("call big_sum(Three) -> i64 {a: 1, b: 2, c: 3}")).contains("Three has no field 'a'");
    }

    @EachEngine
    void aStructResultIsAnObjectInJson(Mode mode) {
        shell = SessionHarness.json(mode);
        shell.run("load " + Fixtures.VALUES + "; struct Point { x: f64, y: f64 }");
        shell.clear();
        assertThat(shell.run("call point_scale(Point, f64) -> Point {x: 1, y: 2} 3")).isEqualTo(ExitCode.OK);
        assertThat(shell.out.toString()).contains("\"value\":{\"x\":3.0,\"y\":6.0}", "\"display\":\"Point { x: 3.0, y: 6.0 }\"");
    }
}
