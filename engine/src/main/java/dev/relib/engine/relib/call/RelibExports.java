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
        return elf.derived(RelibExports.class, RelibExports::read);
    }

    private static Optional<RelibExports> read(ElfFile elf) {
        // Most modules are not relib's: those are told by one pass, without building the map.
        boolean relib = elf.dynamicSymbols().stream().anyMatch(s -> s.isExported()
                && (s.name().equals(RelibExportNames.COMPILATION_INFO)
                        || s.isFunction() && RelibExportNames.relibName(s.name()).isPresent()));
        if (!relib) {
            return Optional.empty();
        }
        Map<String, ElfSymbol> exported = elf.dynamicSymbols().stream()
                .filter(ElfSymbol::isExported)
                .collect(Collectors.toMap(ElfSymbol::name, Function.identity(), (a, b) -> a));
        return Optional.of(new RelibExports(exported));
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
