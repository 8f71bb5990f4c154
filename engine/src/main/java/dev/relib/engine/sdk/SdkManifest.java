package dev.relib.engine.sdk;

import dev.relib.engine.call.Signature;
import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.error.SignatureError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An SDK module's manifests, read from the file without loading it: {@code .relib_exports} and
 * {@code .relib_imports}, each a sequence of NUL-terminated signature texts (empty entries are
 * padding; several objects may contribute, so there is no header).
 *
 * @param exports export entries in file order, {@code main()} and {@code before_unload()} included
 * @param imports import entries in file order
 */
public record SdkManifest(List<String> exports, List<String> imports) {

    public static final String EXPORTS_SECTION = ".relib_exports";
    public static final String IMPORTS_SECTION = ".relib_imports";
    public static final String INFO_SYMBOL = "relib_sdk_info";
    public static final String MAIN_ENTRY = "main()";
    public static final String BEFORE_UNLOAD_ENTRY = "before_unload()";

    public SdkManifest {
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
    }

    /** The manifest of an SDK module: a file with {@code .relib_exports} that defines {@code relib_sdk_info}. */
    public static Optional<SdkManifest> of(ElfFile elf) {
        return elf.derived(SdkManifest.class, SdkManifest::read);
    }

    private static Optional<SdkManifest> read(ElfFile elf) {
        Optional<byte[]> exports = elf.sectionBytes(EXPORTS_SECTION);
        if (exports.isEmpty() || elf.dynamicSymbols().stream().noneMatch(s -> s.isDefined() && s.name().equals(INFO_SYMBOL))) {
            return Optional.empty();
        }
        List<String> imports = elf.sectionBytes(IMPORTS_SECTION).map(SdkManifest::entries).orElse(List.of());
        return Optional.of(new SdkManifest(entries(exports.get()), imports));
    }

    static List<String> entries(byte[] section) {
        List<String> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= section.length; i++) {
            if (i == section.length || section[i] == 0) {
                if (i > start) {
                    entries.add(new String(section, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return entries;
    }

    public boolean hasMain() {
        return exports.contains(MAIN_ENTRY);
    }

    public boolean hasBeforeUnload() {
        return exports.contains(BEFORE_UNLOAD_ENTRY);
    }

    /**
     * The typed exports by name, {@code main} and {@code before_unload} left out. An entry the
     * engine cannot parse is left out too: calling it then needs a signature, as for a plain module.
     */
    public Map<String, Signature> exportSignatures() {
        Map<String, Signature> signatures = new LinkedHashMap<>();
        for (String entry : exports) {
            if (entry.equals(MAIN_ENTRY) || entry.equals(BEFORE_UNLOAD_ENTRY)) {
                continue;
            }
            parsed(entry).ifPresent(signature -> signatures.putIfAbsent(signature.name(), signature));
        }
        return signatures;
    }

    private static Optional<Signature> parsed(String entry) {
        try {
            Signature signature = SignatureParser.parse(entry);
            return signature.name() == null ? Optional.empty() : Optional.of(signature);
        } catch (SignatureError e) {
            return Optional.empty();
        }
    }
}
