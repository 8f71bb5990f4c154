package dev.relib.engine.core;

import dev.relib.engine.call.Signature;
import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.call.StructLayout;
import dev.relib.engine.model.StructInfo;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's {@code #[repr(C)]} struct declarations, by name: types that signatures may use by
 * value or behind a pointer. Declaring a name again replaces it for signatures parsed afterwards.
 * Used on the owner thread only.
 */
final class StructTypes {

    /** How many parsed signatures are kept; a session that uses more starts again. */
    private static final int PARSED_LIMIT = 1024;

    private final Map<String, StructLayout> byName = new LinkedHashMap<>();
    /**
     * Signatures parsed against the declarations as they stand, by their text: a call request
     * names its signature every time, and parsing it was 2.6% of a leak-and-reload cycle.
     */
    private final Map<String, Signature> parsed = new HashMap<>();

    StructInfo declare(String declaration) {
        StructLayout layout = SignatureParser.parseStruct(declaration, byName);
        byName.put(layout.name(), layout);
        parsed.clear(); // a signature naming the struct means the new layout from now on
        return describe(layout);
    }

    /** {@code text} parsed against the declared structs; a malformed one throws every time, as parsing does. */
    Signature parse(String text) {
        Signature signature = parsed.get(text);
        if (signature == null) {
            signature = SignatureParser.parse(text, layouts());
            if (parsed.size() >= PARSED_LIMIT) {
                parsed.clear();
            }
            parsed.put(text, signature);
        }
        return signature;
    }

    List<StructInfo> all() {
        return byName.values().stream().map(StructTypes::describe).toList();
    }

    Map<String, StructLayout> layouts() {
        return Collections.unmodifiableMap(byName);
    }

    private static StructInfo describe(StructLayout layout) {
        List<StructInfo.FieldInfo> fields = layout.fields().stream()
                .map(f -> new StructInfo.FieldInfo(f.name(), f.typeText(), f.offset(), f.size()))
                .toList();
        return new StructInfo(layout.name(), layout.declaration(), layout.size(), layout.align(), fields);
    }
}
