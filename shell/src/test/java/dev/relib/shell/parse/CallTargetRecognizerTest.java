package dev.relib.shell.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.SignatureError;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CallTargetRecognizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        " count_sheep(u32) -> &str 3                        | count_sheep(u32) -> &str                       | ' 3'",
        "add(i32, i32) -> i32 2 3                           | add(i32, i32) -> i32                           | ' 2 3'",
        "count_sheep(u32) -> &'static str 3                 | count_sheep(u32) -> &'static str               | ' 3'",
        "greet(*const c_char) -> *const c_char \"hi there\" | greet(*const c_char) -> *const c_char          | ' \"hi there\"'",
        "fill(*mut u8, usize) -> *mut u8 0 4                | fill(*mut u8, usize) -> *mut u8                | ' 0 4'",
        "bytes() -> &[u8]                                   | bytes() -> &[u8]                               | ''",
        "find(&str) -> Option<&u64> x                       | find(&str) -> Option<&u64>                     | ' x'",
        "name() -> String --repeat 3                        | name() -> String                               | ' --repeat 3'",
        "tick()                                             | tick()                                         | ''",
        "pair() -> (i32, i32) 1                             | pair() -> (i32, i32)                           | ' 1'",
        "cstr() -> *const std::ffi::c_char                  | cstr() -> *const std::ffi::c_char              | ''",
        "add 2 3                                            | add                                            | ' 2 3'",
        "sheep.count_sheep(u32)->&str 1                     | sheep.count_sheep(u32)->&str                   | ' 1'",
        "f(fn(i32) -> i32) -> i32 1                         | f(fn(i32) -> i32) -> i32                       | ' 1'",
        "main -> u64 --repeat 2                             | main -> u64                                    | ' --repeat 2'",
        "Exports::ref_ret(RStr) -> RStr abc                 | Exports::ref_ret(RStr) -> RStr                 | ' abc'",
        "main -> ROption<u32>                               | main -> ROption<u32>                           | ''",
    })
    void groupsTheTargetWholeAndLeavesTheArguments(String text, String target, String remainder) {
        CallTargetRecognizer.Recognized recognized = CallTargetRecognizer.recognize(text.strip().replace("\\\"", "\""));
        assertThat(recognized.target()).isEqualTo(target);
        assertThat(recognized.remainder()).isEqualTo(remainder);
    }

    @Test
    void anUnclosedParenthesisIsAMalformedSignature() {
        assertThatThrownBy(() -> CallTargetRecognizer.recognize("count_sheep(u32 -> &str 3"))
                .isInstanceOf(SignatureError.Malformed.class)
                .hasMessageContaining("'(' at column 12 is never closed")
                .hasMessageContaining("count_sheep(u32 -> &str 3");
    }

    @Test
    void anArrowWithoutATypeIsAMalformedSignature() {
        assertThatThrownBy(() -> CallTargetRecognizer.recognize("count_sheep(u32) -> 3"))
                .isInstanceOf(SignatureError.Malformed.class)
                .hasMessageContaining("expected a return type after '->', found '3'");
        assertThatThrownBy(() -> CallTargetRecognizer.recognize("count_sheep(u32) ->"))
                .isInstanceOf(SignatureError.Malformed.class)
                .hasMessageContaining("a return type must follow '->'");
    }

    @Test
    void aMissingSymbolIsAMalformedSignature() {
        assertThatThrownBy(() -> CallTargetRecognizer.recognize("(u32) -> u32 1"))
                .isInstanceOf(SignatureError.Malformed.class)
                .hasMessageContaining("name is missing");
    }

    @Test
    void theModulePrefixSplitsOnlyOnALoadedModule() {
        assertThat(CallTarget.parse("sheep.count_sheep(u32) -> &str", List.of("sheep", "#1")))
                .isEqualTo(new CallTarget(ModuleRef.of("sheep"), "count_sheep", "(u32) -> &str"));
        assertThat(CallTarget.parse("#1.count_sheep", List.of("sheep", "#1")))
                .isEqualTo(new CallTarget(ModuleRef.of("#1"), "count_sheep", null));
        assertThat(CallTarget.parse("_ZN4core3fmt5write17h0123E.llvm.42(u32)", List.of("sheep")))
                .isEqualTo(new CallTarget(ModuleRef.implied(), "_ZN4core3fmt5write17h0123E.llvm.42", "(u32)"));
    }

    @Test
    void aReturnTypeAloneMeansNoParameters() {
        assertThat(CallTarget.parse("main -> u64", List.of()))
                .isEqualTo(new CallTarget(ModuleRef.implied(), "main", "() -> u64"));
        assertThat(CallTarget.parse("m.main -> RString", List.of("m")))
                .isEqualTo(new CallTarget(ModuleRef.of("m"), "main", "() -> RString"));
    }

    @Test
    void theSymbolWithSignatureIsWhatTheEngineParses() {
        assertThat(CallTarget.parse("add(i32, i32) -> i32", List.of()).symbolWithSignature())
                .isEqualTo("add(i32, i32) -> i32");
    }
}
