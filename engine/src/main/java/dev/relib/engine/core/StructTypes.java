package dev.relib.engine.core;

import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.call.StructLayout;
import dev.relib.engine.model.StructInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's {@code #[repr(C)]} struct declarations, by name: types that signatures may use by
 * value or behind a pointer. Declaring a name again replaces it for signatures parsed afterwards.
 */
final class StructTypes {

    private final Map<String, StructLayout> byName = new LinkedHashMap<>();

    StructInfo declare(String declaration) {
        StructLayout layout = SignatureParser.parseStruct(declaration, byName);
        byName.put(layout.name(), layout);
        return describe(layout);
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
