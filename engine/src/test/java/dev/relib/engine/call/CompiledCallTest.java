package dev.relib.engine.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.error.CallError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.testing.SampleModules;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Calls into the real libcalc.so, libsheep.so and libcstr.so that the build compiles. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompiledCallTest {

    private final DynamicLinker linker = new DynamicLinker();
    private final MemoryIO memory = MemoryIO.getInstance();
    private long calc;
    private long sheep;
    private long cstr;

    @BeforeAll
    void open() {
        calc = linker.open(SampleModules.rust("calc"));
        sheep = linker.open(SampleModules.rust("sheep"));
        cstr = linker.open(SampleModules.c("cstr"));
    }

    @AfterAll
    void close() {
        linker.close(calc);
        linker.close(sheep);
        linker.close(cstr);
    }

    @Test
    void countSheepReturnsAStrInTwoRegisters() {
        assertThat(call(sheep, "count_sheep(u32) -> &'static str", "3")).isEqualTo(new ReturnValue("Many", "\"Many\""));
        assertThat(call(sheep, "count_sheep(u32) -> &str", "0").value()).isEqualTo("None");
        assertThat(call(sheep, "fn count_sheep(sheep: u32) -> &str", "2").display()).isEqualTo("\"Two\"");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "add(i32, i32) -> i32                    | 2, 3                      | 5",
            "add(i32, i32) -> i32                    | -1, -2                    | -3",
            "add(i32, i32) -> i32                    | 2147483647, 1             | -2147483648",
            "neg_i8(i8) -> i8                        | -128                      | -128",
            "neg_i8(i8) -> i8                        | 5                         | -5",
            "double_i16(i16) -> i16                  | -300                      | -600",
            "mul_i64(i64, i64) -> i64                | -3, 1_000_000_000_000     | -3000000000000",
            "add_u8(u8, u8) -> u8                    | 200, 55                   | 255",
            "wrap_u16(u16) -> u16                    | 65535                     | 0",
            "wrap_u16(u16) -> u16                    | 65534                     | 65535",
            "sub_u32(u32, u32) -> u32                | 0, 1                      | 4294967295",
            "max_u64() -> u64                        | ``                        | 18446744073709551615",
            "half_u64(u64) -> u64                    | 18446744073709551615      | 9223372036854775807",
            "diff_isize(isize, isize) -> isize       | -5, 10                    | -15",
            "add_usize(usize, usize) -> usize        | 9223372036854775807, 1    | 9223372036854775808",
            "scale_f32(f32, f32) -> f32              | 1.5, 3                    | 4.5",
            "scale_f32(f32, f32) -> f32              | 0.1, 1                    | 0.1",
            "hypot(f64, f64) -> f64                  | 3, 4                      | 5.0",
            "hypot(f64, f64) -> f64                  | inf, 1                    | inf",
            "is_even(u64) -> bool                    | 18446744073709551615      | false",
            "is_even(u64) -> bool                    | 0xffff_ffff_ffff_fffe     | true",
            "not(bool) -> bool                       | true                      | false",
            "next_char(char) -> char                 | a                         | 'b'",
            "next_char(char) -> char                 | U+D7FF                    | '\uE000'",
            "next_char(char) -> char                 | `'\\t'`                   | '\\n'",
            "mix(i32, f64, u8, f32) -> f64           | -1, 0.5, 200, 0.25        | 199.75",
            "sum6(u8, u16, u32, i8, i16, i32) -> i64 | 255, 65535, 4294967295, -128, -32768, -2147483648 | 2147516541",
            "sum8(i64, i64, i64, i64, i64, i64, i64, i64) -> i64 | 1, 2, 3, 4, 5, 6, 7, 8 | 87654321",
            "str_len(&str) -> usize                  | `\"h\\u{e9}llo \\u{1F600}\"` | 7",
            "str_len(&str) -> usize                  | `\"\"`                    | 0",
            "count_words(&str) -> u32                | `\"one two  three\"`      | 3",
            "sum_bytes(&[u8]) -> u64                 | `[1, 2, 3]`               | 6",
            "sum_bytes(&[u8]) -> u64                 | hex:ffff                  | 510",
            "sum_bytes(&[u8]) -> u64                 | `b\"\"`                   | 0",
            "version() -> &'static str               | ``                        | \"calc 0.1.0\"",
            "magic_bytes() -> &'static [u8]          | ``                        | b\"\\x7fELF\\0\"",
            "greet(*const c_char) -> *const c_char   | bob                       | \"hello, bob!\"",
            "greet(*const c_char) -> *const c_char   | `\"tab\\there\"`          | \"hello, tab\\there!\"",
            "greet(*const c_char) -> *const c_char   | null                      | null",
            "deref_or(Option<&u32>, u32) -> u32      | None, 7                   | 7",
            "write_answer(*mut u32) -> bool          | null                      | false",
    })
    void eachTypeReachesTheModule(String signature, String arguments, String display) {
        List<String> texts = arguments.isEmpty() ? List.of() : List.of(arguments.split(", (?![^\\[]*\\])"));
        assertThat(call(calc, signature, texts.toArray(String[]::new)).display()).isEqualTo(display);
    }

    @Test
    void valuesAreJsonFriendly() {
        assertThat(call(calc, "add(i32, i32) -> i32", "2", "3").value()).isEqualTo(5L);
        assertThat(call(calc, "max_u64() -> u64").value()).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(call(calc, "hypot(f64, f64) -> f64", "3", "4").value()).isEqualTo(5.0);
        assertThat(call(calc, "scale_f32(f32, f32) -> f32", "0.1", "1").value()).isEqualTo(0.1);
        assertThat(call(calc, "is_even(u64) -> bool", "4").value()).isEqualTo(true);
        assertThat(call(calc, "next_char(char) -> char", "a").value()).isEqualTo("b");
        assertThat(call(calc, "magic_bytes() -> &[u8]").value()).isEqualTo("hex:7f454c4600");
        assertThat(call(calc, "greet(*const c_char) -> *const c_char", "null").value()).isNull();
        assertThat(call(calc, "write_answer(*mut u32)", "null")).isEqualTo(new ReturnValue(null, "()"));
    }

    @Test
    void cStringsInAndOut() {
        assertThat(call(cstr, "str_length(*const c_char) -> usize", "\"hello\"").value()).isEqualTo(5L);
        assertThat(call(cstr, "str_length(*const c_char) -> usize", "null").value()).isEqualTo(0L);
        assertThat(call(cstr, "greeting() -> *const c_char").display()).isEqualTo("\"hello from C\"");
    }

    @Test
    void pointersReachNativeMemory() {
        long cell = memory.allocateMemory(4, true);
        try {
            memory.putInt(cell, 99);
            String address = "0x" + Long.toHexString(cell);
            assertThat(call(calc, "deref_or(Option<&u32>, u32) -> u32", address, "7").value()).isEqualTo(99L);
            assertThat(call(calc, "deref_or(Option<&u32>, u32) -> u32", "Some(" + address + ")", "7").value()).isEqualTo(99L);

            assertThat(call(calc, "write_answer(*mut u32) -> bool", Long.toString(cell)).value()).isEqualTo(true);
            assertThat(memory.getInt(cell)).isEqualTo(42);
        } finally {
            memory.freeMemory(cell);
        }
    }

    @Test
    void aReturnedPointerShowsAsAnAddress() {
        ReturnValue greeting = call(cstr, "greeting() -> *const u8");
        assertThat(greeting.display()).matches("0x[0-9a-f]+");
        assertThat(greeting.value()).isEqualTo(Long.parseLong(greeting.display().substring(2), 16));
    }

    @Test
    void repeatCallsReturnTheSameValueAndTimeTheLoop() {
        CompiledCall add = compile(calc, "add(i32, i32) -> i32");
        try (PreparedArguments arguments = add.prepare(List.of("40", "2"))) {
            CallOutcome once = add.invoke(arguments, 1);
            long started = System.nanoTime();
            CallOutcome many = add.invoke(arguments, 100_000);
            long wall = System.nanoTime() - started;

            assertThat(many.value()).isEqualTo(once.value()).isEqualTo(new ReturnValue(42L, "42"));
            // The reported time is the loop's own: some, and no more than the call took as a whole.
            assertThat(many.totalNanos()).isPositive().isLessThanOrEqualTo(wall);
        }
        CompiledCall countSheep = compile(sheep, "count_sheep(u32) -> &str");
        try (PreparedArguments arguments = countSheep.prepare(List.of("7"))) {
            assertThat(countSheep.invoke(arguments, 1000).value().display()).isEqualTo("\"Many\"");
        }
    }

    @Test
    void argumentsAreCheckedBeforeAnyCall() {
        CompiledCall add = compile(calc, "add(i32, i32) -> i32");

        assertThatThrownBy(() -> add.prepare(List.of("1")))
                .isInstanceOf(CallError.ArgumentCount.class)
                .hasMessage("add(i32, i32) -> i32 takes 2 arguments, 1 given");
        assertThatThrownBy(() -> add.prepare(List.of("1", "2147483648")))
                .isInstanceOf(CallError.BadArgument.class)
                .hasMessageContaining("argument 2 ('2147483648') is not a valid i32")
                .hasMessageContaining("out of range for i32 (-2147483648..=2147483647)");
        assertThatThrownBy(() -> compile(calc, "add_u8(u8, u8) -> u8").prepare(List.of("300", "1")))
                .hasMessageContaining("300 is out of range for u8 (0..=255)");
    }

    @Test
    void preparedArgumentsBelongToOneCallAndCanBeClosed() {
        CompiledCall add = compile(calc, "add(i32, i32) -> i32");
        CompiledCall other = compile(calc, "add(i32, i32) -> i32");
        PreparedArguments arguments = add.prepare(List.of("1", "2"));

        assertThatThrownBy(() -> other.invoke(arguments, 1)).isInstanceOf(IllegalArgumentException.class);
        arguments.close();
        assertThatThrownBy(() -> add.invoke(arguments, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> add.invoke(add.prepare(List.of("1", "2")), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stringArgumentsLiveInNativeMemory() {
        CompiledCall strLen = compile(calc, "str_len(&str) -> usize");
        try (PreparedArguments arguments = strLen.prepare(List.of("abc"))) {
            long address = arguments.nativeAddressOf(0);
            assertThat(address).isNotZero();
            byte[] copied = new byte[3];
            memory.getByteArray(address, copied, 0, 3);
            assertThat(copied).containsExactly('a', 'b', 'c');
        }
    }

    @Test
    void ownedReturnsArriveThroughAHiddenPointer() {
        assertThat(call(calc, "owned_text() -> String")).isEqualTo(new ReturnValue("owned by nobody", "\"owned by nobody\""));
        assertThat(call(calc, "owned_text() -> Vec<u8>").display()).isEqualTo("b\"owned by nobody\"");
    }

    @Test
    void aMutableSliceShowsWhatTheModuleWrote() {
        CompiledCall fill = compile(calc, "fill_bytes(&mut [u8], u8)");
        try (PreparedArguments arguments = fill.prepare(List.of("[0, 0, 0, 0]", "0xab"))) {
            fill.invoke(arguments, 1);
            byte[] written = new byte[4];
            memory.getByteArray(arguments.nativeAddressOf(0), written, 0, 4);
            assertThat(written).containsExactly(0xab, 0xab, 0xab, 0xab);
        }
    }

    @Test
    void aCompiledSignatureBoundToAnotherAddressCallsThatFunction() {
        CompiledCall add = compile(calc, "add(i32, i32) -> i32");
        // Not the same code, the same types: what a new generation's export is to the old one's.
        long sub = linker.symbol(calc, "sub_u32");
        CompiledCall rebound = add.at(sub);
        try (PreparedArguments arguments = rebound.prepare(List.of("7", "3"))) {
            assertThat(rebound.invoke(arguments, 1).value().value()).isEqualTo(4L);
        }
        assertThat(rebound.functionAddress()).isEqualTo(sub);
        assertThat(rebound.signatureText()).isSameAs(add.signatureText());
        assertThat(add.at(add.functionAddress())).isSameAs(add);
        assertThatThrownBy(() -> add.at(0)).isInstanceOf(IllegalArgumentException.class);
        try (PreparedArguments arguments = add.prepare(List.of("7", "3"))) {
            assertThat(add.invoke(arguments, 1).value().value()).as("the first one unchanged").isEqualTo(10L);
        }
    }

    private CompiledCall compile(long handle, String signatureText) {
        Signature signature = SignatureParser.parse(signatureText);
        long address = linker.symbol(handle, signature.name());
        assertThat(address).as(signature.name()).isNotZero();
        return CompiledCall.compile(signature, address);
    }

    private ReturnValue call(long handle, String signatureText, String... arguments) {
        CompiledCall call = compile(handle, signatureText);
        try (PreparedArguments prepared = call.prepare(List.of(arguments))) {
            return call.invoke(prepared, 1).value();
        }
    }
}
