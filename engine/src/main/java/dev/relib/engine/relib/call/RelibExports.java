package dev.relib.engine.relib.call;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfSymbol;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A relib module's exports as relib names them, read from its dynamic symbols once. Recognised by
 * name: the compilation-info static, or a {@code __relib__} function.
 */
public final class RelibExports {

    private final Map<String, ElfSymbol> exported;

    private RelibExports(Map<String, ElfSymbol> exported) {
        this.exported = exported;
    }

    /** The module's relib view, or empty when nothing in it follows relib's naming. */
    public static Optional<RelibExports> of(ElfFile elf) {
        Map<String, ElfSymbol> exported = elf.dynamicSymbols().stream()
                .filter(ElfSymbol::isExported)
                .collect(Collectors.toMap(ElfSymbol::name, Function.identity(), (a, b) -> a));
        boolean relib = exported.containsKey(RelibExportNames.COMPILATION_INFO) || exported.values().stream()
                .anyMatch(s -> s.isFunction() && RelibExportNames.relibName(s.name()).isPresent());
        return relib ? Optional.of(new RelibExports(exported)) : Optional.empty();
    }

    /**
     * The symbol a name given to {@code call} means: a relib name ({@code main}, {@code Exports::f}) when
     * such an export exists, else the name itself (a raw symbol).
     */
    public String symbolFor(String name) {
        String relib = RelibExportNames.symbolOf(name);
        ElfSymbol symbol = exported.get(relib);
        return symbol != null && symbol.isFunction() ? relib : name;
    }

    /** Whether the symbol is a user export that follows relib's success-flag convention. */
    public boolean isRelibExport(String symbol) {
        ElfSymbol s = exported.get(symbol);
        return s != null && s.isFunction() && RelibExportNames.relibName(symbol).isPresent();
    }

    /** The post function of a boxed export, or empty when the export returns its value directly. */
    public Optional<String> postOf(String symbol) {
        String post = RelibExportNames.postOf(symbol);
        ElfSymbol s = exported.get(post);
        return s != null && s.isFunction() ? Optional.of(post) : Optional.empty();
    }
}
