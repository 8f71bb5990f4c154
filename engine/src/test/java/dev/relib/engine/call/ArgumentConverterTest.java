package dev.relib.engine.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.call.ValueType.FatPointer;
import dev.relib.engine.call.ValueType.Scalar;
import dev.relib.engine.error.CallError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgumentConverterTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "I8    | -128                     | -128",
            "I8    | 127                      | 127",
            "I8    | 0x7f                     | 127",
            "I8    | -0x80                    | -128",
            "U8    | 255                      | 255",
            "U8    | 0b1111_1111              | 255",
            "U8    | 0o377                    | 255",
            "U8    | +7                       | 7",
            "I16   | -32768                   | -32768",
            "U16   | 65535                    | 65535",
            "I32   | -2147483648              | -2147483648",
            "I32   | 1_000_000                | 1000000",
            "U32   | 4294967295               | 4294967295",
            "I64   | -9223372036854775808     | -9223372036854775808",
            "I64   | 9223372036854775807      | 9223372036854775807",
            "ISIZE | -1                       | -1",
            "U64   | 18446744073709551615     | -1",
            "U64   | 0xffff_ffff_ffff_ffff    | -1",
            "USIZE | 9223372036854775808      | -9223372036854775808",
            "BOOL  | true                     | 1",
            "BOOL  | false                    | 0",
            "CHAR  | a                        | 97",
            "CHAR  | `'a'`                    | 97",
            "CHAR  | `'\\n'`                  | 10",
            "CHAR  | `'\\''`                  | 39",
            "CHAR  | U+1F600                  | 128512",
            "CHAR  | `'\\u{1F600}'`           | 128512",
            "CHAR  | \uD83D\uDE00             | 128512",
    })
    void integersAndFriends(Scalar type, String text, long bits) {
        assertThat(ArgumentConverter.convert(0, type, text)).isEqualTo(new ArgumentValue.Bits(bits));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "I8    | 128                  | 128 is out of range for i8 (-128..=127)",
            "I8    | -129                 | -129 is out of range for i8 (-128..=127)",
            "U8    | 300                  | 300 is out of range for u8 (0..=255)",
            "U8    | -1                   | -1 is out of range for u8 (0..=255)",
            "U16   | 65536                | 65536 is out of range for u16 (0..=65535)",
            "I32   | 2147483648           | out of range for i32",
            "U32   | 0x1_0000_0000        | 4294967296 is out of range for u32",
            "U64   | 18446744073709551616 | out of range for u64 (0..=18446744073709551615)",
            "I64   | 9223372036854775808  | out of range for i64",
            "I32   | 12abc                | not a number",
            "I32   | ``                   | empty",
            "I32   | 1.5                  | not a number",
            "U8    | 0xg1                 | not a base-16 number",
            "I32   | _1                   | not a number",
            "BOOL  | yes                  | expected true or false",
            "BOOL  | 1                    | expected true or false",
            "CHAR  | ab                   | expected one character",
            "CHAR  | U+D800               | U+D800 is not a Unicode scalar value",
            "CHAR  | U+110000             | not a Unicode scalar value",
            "CHAR  | `'a`                 | unterminated",
            "F32   | 1e39                 | 1e39 is out of range for f32",
            "F64   | 1e309                | out of range for f64",
            "F64   | 1.5f                 | not a number",
            "F64   | 0x10                 | not a number",
    })
    void badScalars(Scalar type, String text, String problem) {
        assertThatThrownBy(() -> ArgumentConverter.convert(2, type, text))
                .isInstanceOfSatisfying(CallError.BadArgument.class, e -> {
                    assertThat(e.code()).isEqualTo("call.bad_argument");
                    assertThat(e.getMessage()).startsWith("argument 3 ('" + text + "') is not a valid " + type.text() + ": ")
                            .contains(problem);
                });
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "F64 | 1.5    | 1.5",
            "F64 | -2e10  | -2e10",
            "F64 | .5     | 0.5",
            "F64 | 1_000.25 | 1000.25",
            "F64 | inf    | Infinity",
            "F64 | -inf   | -Infinity",
            "F64 | nan    | NaN",
            "F32 | 3.25   | 3.25",
            "F32 | -0.0   | -0.0",
    })
    void floats(Scalar type, String text, double expected) {
        long bits = ((ArgumentValue.Bits) ArgumentConverter.convert(0, type, text)).bits();
        double actual = type == Scalar.F32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
        assertThat(Double.valueOf(actual)).isEqualTo(Double.valueOf(expected));
        if (type == Scalar.F32) {
            assertThat(bits >>> 32).as("an f32 occupies the low 32 bits only").isZero();
        }
    }

    @Test
    void pointersTakeAddressesAndNull() {
        ValueType raw = new ValueType.Pointer(ValueType.PointerKind.MUT, "u32");
        assertThat(ArgumentConverter.convert(0, raw, "0x7f3a2c001000")).isEqualTo(new ArgumentValue.Bits(0x7f3a2c001000L));
        assertThat(ArgumentConverter.convert(0, raw, "4096")).isEqualTo(new ArgumentValue.Bits(4096));
        assertThat(ArgumentConverter.convert(0, raw, "null")).isEqualTo(new ArgumentValue.Bits(0));
        assertThat(ArgumentConverter.convert(0, raw, "0xffffffffffffffff")).isEqualTo(new ArgumentValue.Bits(-1));
        assertThatThrownBy(() -> ArgumentConverter.convert(0, raw, "0x1_0000_0000_0000_0000"))
                .hasMessageContaining("out of range for an address");
        assertThatThrownBy(() -> ArgumentConverter.convert(0, raw, "here")).hasMessageContaining("not an address");

        ValueType reference = new ValueType.Pointer(ValueType.PointerKind.REF, "u32");
        assertThatThrownBy(() -> ArgumentConverter.convert(0, reference, "null"))
                .hasMessageContaining("a reference cannot be null");
    }

    @Test
    void optionTakesNoneOrAnAddress() {
        ValueType option = new ValueType.OptionRef(false, "u32");
        assertThat(ArgumentConverter.convert(0, option, "None")).isEqualTo(new ArgumentValue.Bits(0));
        assertThat(ArgumentConverter.convert(0, option, "null")).isEqualTo(new ArgumentValue.Bits(0));
        assertThat(ArgumentConverter.convert(0, option, "0x1000")).isEqualTo(new ArgumentValue.Bits(0x1000));
        assertThat(ArgumentConverter.convert(0, option, "Some(0x1000)")).isEqualTo(new ArgumentValue.Bits(0x1000));
        assertThatThrownBy(() -> ArgumentConverter.convert(0, option, "Some(0)")).hasMessageContaining("non-null");
    }

    @Test
    void cStringsAreTerminatedAndMayBeNull() {
        ValueType cString = new ValueType.CString(false);
        assertThat(bytes(cString, "bob")).containsExactly('b', 'o', 'b', 0);
        assertThat(bytes(cString, "\"a \\\"b\\\"\\t\\xff\"")).containsExactly('a', ' ', '"', 'b', '"', '\t', 0xff, 0);
        assertThat(bytes(cString, "\"null\"")).containsExactly('n', 'u', 'l', 'l', 0);
        assertThat(ArgumentConverter.convert(0, cString, "null")).isEqualTo(new ArgumentValue.Bits(0));
        assertThatThrownBy(() -> ArgumentConverter.convert(0, cString, "\"a\\0b\""))
                .hasMessageContaining("NUL byte at offset 1");
    }

    @Test
    void strTakesQuotedOrBareText() {
        assertThat(raw(FatPointer.STR, "hello")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(raw(FatPointer.STR, "\"two words\\n\"")).isEqualTo("two words\n".getBytes(StandardCharsets.UTF_8));
        assertThat(raw(FatPointer.STR, "\"\\u{1F600}\\x41\\0\\\\\"")).isEqualTo("\uD83D\uDE00A\0\\".getBytes(StandardCharsets.UTF_8));
        assertThat(raw(FatPointer.STR, "\"\"")).isEmpty();
        assertThatThrownBy(() -> ArgumentConverter.convert(0, FatPointer.STR, "\"\\xff\""))
                .hasMessageContaining("not ASCII");
        assertThatThrownBy(() -> ArgumentConverter.convert(0, FatPointer.STR, "\"open"))
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> ArgumentConverter.convert(0, FatPointer.STR, "\"\\q\""))
                .hasMessageContaining("unknown escape \\q");
        assertThatThrownBy(() -> ArgumentConverter.convert(0, FatPointer.STR, "\"\\u{D800}\""))
                .hasMessageContaining("not a Unicode scalar value");
    }

    @Test
    void byteSlicesTakeFourForms() {
        assertThat(bytes(FatPointer.BYTES, "b\"\\x00\\xffA\"")).containsExactly(0, 0xff, 'A');
        assertThat(bytes(FatPointer.BYTES, "[1, 2, 0xff]")).containsExactly(1, 2, 0xff);
        assertThat(bytes(FatPointer.BYTES, "[]")).isEmpty();
        assertThat(bytes(FatPointer.BYTES, "hex:0a0B_ff")).containsExactly(0x0a, 0x0b, 0xff);
        assertThat(bytes(FatPointer.BYTES_MUT, "abc")).containsExactly('a', 'b', 'c');
        assertThatThrownBy(() -> ArgumentConverter.convert(0, FatPointer.BYTES, "[1, 256]"))
                .hasMessageContaining("byte 2 (256) is out of range for u8 (0..=255)");
        assertThatThrownBy(() -> ArgumentConverter.convert(0, FatPointer.BYTES, "[1, x]"))
                .hasMessageContaining("byte 2 ('x')");
        assertThatThrownBy(() -> ArgumentConverter.convert(0, FatPointer.BYTES, "hex:abc"))
                .hasMessageContaining("even number");
        assertThatThrownBy(() -> ArgumentConverter.convert(0, FatPointer.BYTES, "hex:zz"))
                .hasMessageContaining("'zz' is not a hex byte");
    }

    private static byte[] raw(ValueType type, String text) {
        return ((ArgumentValue.Bytes) ArgumentConverter.convert(0, type, text)).data();
    }

    private static int[] bytes(ValueType type, String text) {
        byte[] data = raw(type, text);
        int[] unsigned = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            unsigned[i] = data[i] & 0xFF;
        }
        return unsigned;
    }
}
