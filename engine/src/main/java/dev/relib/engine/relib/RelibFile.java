package dev.relib.engine.relib;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.elf.SectionHeader;
import dev.relib.engine.error.LoadError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a file says about itself as a relib module, read without loading it: the compilation-info
 * {@code Str} static (its pointer is a relative relocation in the file), the internal exports, and
 * the user import slots.
 */
public final class RelibFile {

    private static final int R_X86_64_RELATIVE = 8;
    private static final int RELA_ENTRY = 24;

    private final Map<String, ElfSymbol> symbols;
    private final RelibCompilationInfo info;

    private RelibFile(Map<String, ElfSymbol> symbols, RelibCompilationInfo info) {
        this.symbols = symbols;
        this.info = info;
    }

    /** The file as a relib module, or empty when it does not export the compilation info. */
    public static Optional<RelibFile> of(ElfFile elf) {
        return elf.derived(RelibFile.class, RelibFile::read);
    }

    private static Optional<RelibFile> read(ElfFile elf) {
        // Most files are not relib modules: those are told by one pass, without building the map.
        if (elf.dynamicSymbols().stream().noneMatch(s -> s.isExported() && s.name().equals(RelibSymbols.COMPILATION_INFO))) {
            return Optional.empty();
        }
        Map<String, ElfSymbol> exported = elf.dynamicSymbols().stream()
                .filter(ElfSymbol::isExported)
                .collect(Collectors.toMap(ElfSymbol::name, Function.identity(), (a, b) -> a));
        ElfSymbol infoSymbol = exported.get(RelibSymbols.COMPILATION_INFO);
        if (infoSymbol == null) {
            return Optional.empty();
        }
        String text = compilationInfoText(elf, infoSymbol);
        RelibCompilationInfo info = RelibCompilationInfo.parse(text)
                .orElseThrow(() -> malformed(elf, text));
        return Optional.of(new RelibFile(exported, info));
    }

    public RelibCompilationInfo compilationInfo() {
        return info;
    }

    /** Whether it has relib's internal exports (built with {@code unloading} or {@code unloading_core}). */
    public boolean hasUnloadingCore() {
        return symbols.containsKey(RelibSymbols.INIT);
    }

    /** What relib_host would refuse about this file on its own. */
    public List<String> refusals() {
        return info.refusals(hasUnloadingCore());
    }

    /** The user import slots ({@code __relib__Imports_foo}): writable data symbols, in name order. */
    public List<String> importSlots() {
        return symbols.values().stream()
                .filter(s -> s.type() == ElfSymbol.STT_OBJECT && s.name().startsWith(RelibSymbols.PREFIX)
                        && !RelibSymbols.isInternal(s.name()))
                .map(ElfSymbol::name).sorted().toList();
    }

    /** Whether the slot has a {@code __post__} slot beside it: its import returns a boxed value. */
    public boolean boxedImport(String slot) {
        ElfSymbol post = symbols.get(RelibSymbols.postOf(slot));
        return post != null && post.type() == ElfSymbol.STT_OBJECT;
    }

    /** Whether an export has a {@code __post__} function: it returns a boxed value. */
    public boolean boxedExport(String symbol) {
        ElfSymbol post = symbols.get(RelibSymbols.postOf(symbol));
        return post != null && post.isFunction();
    }

    /**
     * Whether the file names relib's AllocTracker in its symbol table: a hint before load only (a
     * stripped module says nothing; whether the tracker runs shows when {@code init} reports).
     */
    public static boolean mentionsAllocTracker(ElfFile elf) {
        return elf.symbols().stream().anyMatch(s -> s.name().contains("AllocTracker"));
    }

    private static String compilationInfoText(ElfFile elf, ElfSymbol symbol) {
        byte[] str = bytesAt(elf, symbol.value(), 16)
                .orElseThrow(() -> malformed(elf, "(its Str static is outside the file's sections)"));
        ByteBuffer fields = ByteBuffer.wrap(str).order(ByteOrder.LITTLE_ENDIAN);
        long pointer = fields.getLong(0);
        long length = fields.getLong(8);
        if (pointer == 0) {
            pointer = relativeTarget(elf, symbol.value()).orElse(0L);
        }
        if (length < 0 || length > 4096 || pointer == 0) {
            throw malformed(elf, "(its Str static holds no string)");
        }
        byte[] bytes = bytesAt(elf, pointer, (int) length)
                .orElseThrow(() -> malformed(elf, "(its string is outside the file's sections)"));
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(elf, "(not UTF-8)");
        }
    }

    /** The addend of the {@code R_X86_64_RELATIVE} relocation that fills the word at {@code address}. */
    private static Optional<Long> relativeTarget(ElfFile elf, long address) {
        for (SectionHeader section : elf.sections()) {
            if (section.type() != SectionHeader.SHT_RELA) {
                continue;
            }
            ByteBuffer rela = ByteBuffer.wrap(elf.sectionBytes(section.name()).orElse(new byte[0]))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at + RELA_ENTRY <= rela.limit(); at += RELA_ENTRY) {
                if (rela.getLong(at) == address && (int) rela.getLong(at + 8) == R_X86_64_RELATIVE) {
                    return Optional.of(rela.getLong(at + 16));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<byte[]> bytesAt(ElfFile elf, long address, int length) {
        for (SectionHeader section : elf.sections()) {
            if (section.address() != 0 && section.hasFileBytes() && address >= section.address()
                    && address + length <= section.address() + section.size()) {
                byte[] bytes = elf.sectionBytes(section.name()).orElse(new byte[0]);
                int from = (int) (address - section.address());
                if (from + length > bytes.length) {
                    return Optional.empty();
                }
                byte[] out = new byte[length];
                System.arraycopy(bytes, from, out, 0, length);
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }

    private static LoadError malformed(ElfFile elf, String problem) {
        return new LoadError.RelibInfoMalformed(elf.path(), elf.path() + ": " + RelibSymbols.COMPILATION_INFO
                + " is not relib's \"rustc|host|llvm|relib|unloading\": " + problem);
    }
}
