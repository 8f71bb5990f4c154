package dev.relib.engine.sdk;

import dev.relib.engine.call.ArgumentConverter;
import dev.relib.engine.call.ArgumentValue;
import dev.relib.engine.call.Signature;
import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.call.ValueType;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.SignatureError;
import dev.relib.engine.model.ImportStub;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The import stubs defined in this session ({@code import stub answer() -> u8 = 42}), by name. A
 * stub applies to SDK modules loaded after it is defined; defining a name again replaces it.
 */
public final class ImportStubs {

    private static final String FAIL = "fail";

    private final Map<String, DefinedStub> stubs = new LinkedHashMap<>();

    /** A stub with its parsed signature and the return value's bits. */
    record DefinedStub(ImportStub stub, Signature signature, long bits) {
    }

    /**
     * @param text {@code NAME(TYPES) -> TYPE = VALUE}, or {@code ... = fail "MESSAGE"} for a stub
     *             that fails in the host (to see how the module takes it)
     * @throws SignatureError.InvalidStub, SignatureError.Malformed or SignatureError.UnknownType
     */
    public ImportStub define(String text) {
        int equals = text.indexOf('=');
        if (equals < 0) {
            throw new SignatureError.InvalidStub(text, "no '= VALUE'");
        }
        Signature signature = SignatureParser.parse(text.substring(0, equals).strip());
        if (signature.name() == null) {
            throw new SignatureError.InvalidStub(text, "name the import");
        }
        ValueType returns = signature.returnType();
        if (returns instanceof ValueType.FatPointer || returns instanceof ValueType.Owned) {
            throw new SignatureError.InvalidStub(text, "an import cannot return " + returns.text()
                    + " (the module could not free host memory)");
        }
        String valueText = text.substring(equals + 1).strip();
        DefinedStub defined = failure(valueText)
                .map(message -> new DefinedStub(new ImportStub(signature.name(), signature.canonical(), message, true),
                        signature, 0))
                .orElseGet(() -> new DefinedStub(new ImportStub(signature.name(), signature.canonical(), valueText, false),
                        signature, bits(text, returns, valueText)));
        stubs.put(signature.name(), defined);
        return defined.stub();
    }

    public List<ImportStub> all() {
        return stubs.values().stream().map(DefinedStub::stub).toList();
    }

    Optional<DefinedStub> named(String name) {
        return Optional.ofNullable(stubs.get(name));
    }

    private static Optional<String> failure(String valueText) {
        if (!valueText.startsWith(FAIL) || valueText.length() == FAIL.length()
                || !Character.isWhitespace(valueText.charAt(FAIL.length()))) {
            return Optional.empty();
        }
        String message = valueText.substring(FAIL.length()).strip();
        try {
            // The same string syntax as a &str argument: "quoted" with escapes, or bare words.
            ArgumentValue.Bytes bytes = (ArgumentValue.Bytes) ArgumentConverter.convert(0, ValueType.FatPointer.STR, message);
            return Optional.of(new String(bytes.data(), StandardCharsets.UTF_8));
        } catch (CallError.BadArgument e) {
            throw new SignatureError.InvalidStub(valueText, "the failure message is not a valid string");
        }
    }

    private static long bits(String text, ValueType returns, String valueText) {
        if (returns == ValueType.Scalar.UNIT) {
            if (!valueText.equals("()")) {
                throw new SignatureError.InvalidStub(text, "it returns nothing: write = ()");
            }
            return 0;
        }
        try {
            ArgumentValue value = ArgumentConverter.convert(0, returns, valueText);
            if (value instanceof ArgumentValue.Bits bits) {
                return bits.bits();
            }
            throw new SignatureError.InvalidStub(text, "a stub cannot return " + returns.text());
        } catch (CallError.BadArgument e) {
            throw new SignatureError.InvalidStub(text, "'" + valueText + "' is not a valid " + returns.text());
        }
    }
}
