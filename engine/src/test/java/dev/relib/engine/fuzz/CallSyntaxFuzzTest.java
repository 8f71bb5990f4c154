package dev.relib.engine.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.relib.engine.call.ArgumentConverter;
import dev.relib.engine.call.Signature;
import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.call.ValueType;
import dev.relib.engine.error.EngineException;

/**
 * Coverage-guided fuzzing of the signature parser and the argument converter: any exception but
 * the engine's typed errors is a finding. Every build replays the kept inputs; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -pl engine -am verify -Dtest=CallSyntaxFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CallSyntaxFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void signaturesParseOrFailWithTypedErrors(FuzzedDataProvider data) {
        // Any depth: nesting past the parser's limit is signature.too_deep, a typed error (issue 16.1).
        String text = data.consumeRemainingAsString();
        try {
            Signature signature = SignatureParser.parse(text);
            signature.toString();
        } catch (EngineException expected) {
            // signature.malformed and its kind: a clean error.
        }
    }

    private static final String[] TYPES = {"bool", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "isize",
            "usize", "f32", "f64", "char", "&str", "&[u8]", "*const c_char", "*mut u8", "*const u32", "Option<&u64>"};

    @FuzzTest(maxDuration = "2m")
    void argumentsConvertOrFailWithTypedErrors(FuzzedDataProvider data) {
        ValueType type = SignatureParser.parse("(" + data.pickValue(TYPES) + ")").parameters().get(0);
        try {
            ArgumentConverter.convert(0, type, data.consumeRemainingAsString());
        } catch (EngineException expected) {
            // call.bad_argument: a clean error.
        }
    }

    /** The nesting forms repeated far past the limit: regression seeds the fuzzer starts from. */
    @FuzzTest(maxDuration = "1m")
    void deeplyNestedSignaturesFailWithTypedErrors(FuzzedDataProvider data) {
        String[] openers = {"&", "*const ", "*mut ", "Option<", "[", "&'a mut ", "("};
        StringBuilder text = new StringBuilder("f(");
        int repeat = data.consumeInt(0, 40_000);
        String opener = data.pickValue(openers);
        text.append(opener.repeat(repeat)).append(data.consumeRemainingAsString());
        try {
            SignatureParser.parse(text.toString());
        } catch (EngineException expected) {
            // signature.too_deep or another typed refusal.
        }
    }
}
