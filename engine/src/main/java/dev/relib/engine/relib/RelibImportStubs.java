package dev.relib.engine.relib;

import dev.relib.engine.call.ArgumentConverter;
import dev.relib.engine.call.ArgumentValue;
import dev.relib.engine.call.ValueType;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.SignatureError;
import dev.relib.engine.model.ImportStub;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stubs for relib import slots defined in this session: {@code import stub Imports::answer() ->
 * u32 = 42}, {@code import stub Imports::ref_owned_ret(RStr) -> RString = "text"} (a boxed value),
 * {@code ... = fail "message"} (the host fails: relib's module aborts). They bind the slots of
 * relib modules loaded afterwards; defining a name again replaces it.
 */
public final class RelibImportStubs {

    private static final Pattern DEFINITION = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*::[A-Za-z_][A-Za-z0-9_]*)\\s*\\(([^)]*)\\)\\s*(?:->\\s*([^=]+?))?\\s*=\\s*(.+?)\\s*");
    private static final String FAIL = "fail";
    private static final List<String> BOXED = List.of("RStr", "RString", "RVec<u8>");

    /**
     * A defined stub.
     *
     * @param returnType {@code ()}, a primitive, or a boxed abi_stable type ({@code RStr}, {@code RString}, {@code RVec<u8>})
     * @param bits       the primitive's bits (primitives only)
     * @param bytes      the boxed value's bytes (boxed only)
     * @param failure    the failure message, or null
     */
    public record Defined(ImportStub stub, String returnType, long bits, byte[] bytes, String failure) {

        public boolean boxed() {
            return BOXED.contains(returnType);
        }

        @Override
        public byte[] bytes() {
            return bytes == null ? null : bytes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Defined d && d.stub.equals(stub) && Arrays.equals(d.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return stub.hashCode();
        }

        @Override
        public String toString() {
            return stub.definition();
        }
    }

    private final Map<String, Defined> stubs = new LinkedHashMap<>();

    /** Whether a stub definition names a relib import ({@code Trait::fn}) rather than an SDK one. */
    public static boolean isRelibDefinition(String text) {
        int paren = text.indexOf('(');
        return paren > 0 && text.substring(0, paren).contains("::");
    }

    public ImportStub define(String text) {
        Matcher m = DEFINITION.matcher(text);
        if (!m.matches()) {
            throw new SignatureError.InvalidStub(text, "write Trait::name(TYPES) -> TYPE = VALUE");
        }
        String name = m.group(1);
        String parameters = m.group(2).strip();
        String returnType = m.group(3) == null ? "()" : m.group(3).strip();
        String valueText = m.group(4);
        String signature = name + "(" + parameters.replaceAll("\\s*,\\s*", ", ") + ")"
                + (returnType.equals("()") ? "" : " -> " + returnType);
        Defined defined;
        Optional<String> failure = failure(valueText);
        if (failure.isPresent()) {
            defined = new Defined(new ImportStub(name, signature, failure.get(), true), returnType, 0, null, failure.get());
        } else if (BOXED.contains(returnType)) {
            defined = new Defined(new ImportStub(name, signature, valueText, false), returnType, 0,
                    stringBytes(text, valueText), null);
        } else {
            defined = new Defined(new ImportStub(name, signature, valueText, false), returnType,
                    bits(text, returnType, valueText), null, null);
        }
        stubs.put(name, defined);
        return defined.stub();
    }

    public List<ImportStub> all() {
        return stubs.values().stream().map(Defined::stub).toList();
    }

    public Optional<Defined> named(String relibName) {
        return Optional.ofNullable(stubs.get(relibName));
    }

    /** The relib names of the file's import slots that no stub binds, in name order. */
    public List<String> unbound(RelibFile file) {
        List<String> unbound = new ArrayList<>();
        for (String slot : file.importSlots()) {
            String name = RelibSymbols.relibName(slot);
            if (!stubs.containsKey(name)) {
                unbound.add(name);
            }
        }
        return unbound;
    }

    private static Optional<String> failure(String valueText) {
        if (!valueText.startsWith(FAIL) || valueText.length() == FAIL.length()
                || !Character.isWhitespace(valueText.charAt(FAIL.length()))) {
            return Optional.empty();
        }
        return Optional.of(new String(stringBytes(valueText, valueText.substring(FAIL.length()).strip()),
                StandardCharsets.UTF_8));
    }

    private static byte[] stringBytes(String text, String valueText) {
        try {
            return ((ArgumentValue.Bytes) ArgumentConverter.convert(0, ValueType.FatPointer.STR, valueText)).data();
        } catch (CallError.BadArgument e) {
            throw new SignatureError.InvalidStub(text, "'" + valueText + "' is not a valid string");
        }
    }

    private static long bits(String text, String returnType, String valueText) {
        ValueType.Scalar type = Arrays.stream(ValueType.Scalar.values()).filter(s -> s.text().equals(returnType))
                .findFirst().orElseThrow(() -> new SignatureError.InvalidStub(text, "a relib import stub returns (), "
                        + "bool, an integer, char, or a boxed " + String.join("/", BOXED) + "; not " + returnType));
        if (type == ValueType.Scalar.F32 || type == ValueType.Scalar.F64) {
            throw new SignatureError.InvalidStub(text, "a relib import stub cannot return a float");
        }
        if (type == ValueType.Scalar.UNIT) {
            if (!valueText.equals("()")) {
                throw new SignatureError.InvalidStub(text, "it returns nothing: write = ()");
            }
            return 0;
        }
        try {
            ArgumentValue value = ArgumentConverter.convert(0, type, valueText);
            return ((ArgumentValue.Bits) value).bits();
        } catch (CallError.BadArgument e) {
            throw new SignatureError.InvalidStub(text, "'" + valueText + "' is not a valid " + returnType);
        }
    }
}
