package dev.relib.engine.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.call.ValueType.FatPointer;
import dev.relib.engine.call.ValueType.Scalar;
import dev.relib.engine.error.SignatureError;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignatureParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "add(i32, i32) -> i32                                   | add(i32, i32) -> i32",
            "Exports::primitive_ret(i32) -> i32                     | Exports::primitive_ret(i32) -> i32",
            "fn name(a: u8, b: &str) -> bool                        | name(u8, &str) -> bool",
            "extern \"C\" fn f(x: u64) -> u64                        | f(u64) -> u64",
            "pub unsafe extern \"C\" fn g(p: *const c_char) -> usize; | g(*const c_char) -> usize",
            "(i32, i32) -> i32                                      | (i32, i32) -> i32",
            "reset(i32, i32)                                        | reset(i32, i32)",
            "count_sheep(u32) -> &'static str                       | count_sheep(u32) -> &str",
            "f(x: Option<&u32>, y: Option<&mut Foo>)                | f(Option<&u32>, Option<&mut Foo>)",
            "f(*const u8, *mut *mut c_void, *const [u8; 4])         | f(*const u8, *mut *mut c_void, *const [u8; 4])",
            "f(*const i8, *mut c_char, *const std::ffi::c_char)     | f(*const c_char, *mut c_char, *const c_char)",
            "f(&[u8], &mut [u8], mut buf: &'a mut [u8],)            | f(&[u8], &mut [u8], &mut [u8])",
            "f(&u32, &mut Vec<i32>)                                 | f(&u32, &mut Vec<i32>)",
            "f(libc::c_int, std::os::raw::c_ulong, size_t) -> c_double | f(i32, u64, usize) -> f64",
            "f() -> ()                                              | f()",
            "make() -> String                                       | make() -> String",
            "make() -> Vec<u8>                                      | make() -> Vec<u8>",
            "f(_: bool, c: char, x: f32, y: f64, z: isize) -> i16   | f(bool, char, f32, f64, isize) -> i16",
    })
    void canonicalText(String text, String canonical) {
        assertThat(SignatureParser.parse(text).canonical()).isEqualTo(canonical);
    }

    @Test
    void typesAndName() {
        Signature signature = SignatureParser.parse("fn count_sheep(n: u32) -> &'static str");

        assertThat(signature.name()).isEqualTo("count_sheep");
        assertThat(signature.parameters()).containsExactly(Scalar.U32);
        assertThat(signature.returnType()).isEqualTo(FatPointer.STR);
        assertThat(signature.nativeArgumentCount()).isEqualTo(1);
    }

    @Test
    void unnamedSignatureTakesAName() {
        Signature unnamed = SignatureParser.parse("(&str, u8) -> u64");

        assertThat(unnamed.name()).isNull();
        assertThat(unnamed.nativeArgumentCount()).isEqualTo(3);
        assertThat(unnamed.withName("h").canonical()).isEqualTo("h(&str, u8) -> u64");
        assertThat(unnamed.sameTypes(SignatureParser.parse("fn h(a: &str, b: u8) -> u64"))).isTrue();
        assertThat(unnamed.sameTypes(SignatureParser.parse("h(&str, u8) -> u32"))).isFalse();
        assertThat(unnamed.sameTypes(SignatureParser.parse("h(&[u8], u8) -> u64"))).isFalse();
    }

    @Test
    void pointeeKindsAreKept() {
        Signature signature = SignatureParser.parse("f(*mut u32, Option<&u32>, *const c_char) -> *mut c_char");

        assertThat(signature.parameters()).containsExactly(
                new ValueType.Pointer(ValueType.PointerKind.MUT, "u32"),
                new ValueType.OptionRef(false, "u32"),
                new ValueType.CString(false));
        assertThat(signature.returnType()).isEqualTo(new ValueType.CString(true));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                        | 0",
            "add i32                   | 4",
            "add(i32                   | 7",
            "add(i32 i32)              | 8",
            "add(i32,, i32)            | 8",
            "add(i32) ->               | 11",
            "add(i32) -> i32 extra     | 16",
            "add(* i32)                | 6",
            "add(i32) => i32           | 9",
            "add(i32) -> i32 $         | 16",
            "f(Option<&u32)            | 13",
            "f((i32, i32))             | 3",
            "extern \"stdcall\" fn f()   | 7",
            "f(x: )                    | 5",
    })
    void malformedReportsTheColumn(String text, int column) {
        assertThatThrownBy(() -> SignatureParser.parse(text))
                .isInstanceOfSatisfying(SignatureError.Malformed.class, e -> {
                    assertThat(e.position()).as(e.getMessage()).isEqualTo(column);
                    assertThat(e.code()).isEqualTo("signature.malformed");
                    assertThat(e.getMessage()).contains("column " + (column + 1));
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "f(String)            | String",
            "f(Vec<u8>)           | Vec<u8>",
            "f() -> Vec<i32>      | Vec<i32>",
            "f(u128)              | u128",
            "f() -> i128          | i128",
            "f(&mut str)          | &mut str",
            "f(&[i32])            | &[i32]",
            "f(*const str)        | *const str",
            "f(Option<&str>)      | Option<&str>",
            "f(Option<u32>)       | Option<u32>",
            "f([u8; 4])           | [u8; 4]",
            "f(())                | ()",
            "f(Foo)               | Foo",
    })
    void unknownTypes(String text, String type) {
        assertThatThrownBy(() -> SignatureParser.parse(text))
                .isInstanceOf(SignatureError.UnknownType.class)
                .hasMessageStartingWith("unknown type '" + type + "'");
    }

    @Test
    void everyScalarParses() {
        List<String> names = List.of("bool", "i8", "i16", "i32", "i64", "isize", "u8", "u16", "u32", "u64",
                "usize", "f32", "f64", "char");
        Signature signature = SignatureParser.parse("f(" + String.join(", ", names) + ")");

        assertThat(signature.parameters()).extracting(ValueType::text).containsExactlyElementsOf(names);
    }
}
