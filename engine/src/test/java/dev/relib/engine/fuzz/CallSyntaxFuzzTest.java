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

    /**
     * Deeper nesting overflows the recursive parser's stack: issue 16.1, whose depth limit is being
     * added to the parser; until then such inputs are left out here.
     */
    private static final int NESTING_LEFT_OUT = 200;

    @FuzzTest(maxDuration = "2m")
    void signaturesParseOrFailWithTypedErrors(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        if (nesting(text) > NESTING_LEFT_OUT) {
            return;
        }
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

    private static int nesting(String text) {
        return (int) text.chars().filter(c -> c == '&' || c == '*' || c == '<' || c == '(' || c == '[').count();
    }
}
