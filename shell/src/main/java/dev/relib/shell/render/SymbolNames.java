package dev.relib.shell.render;

import dev.relib.inspectors.demangle.SymbolDemangler;

/** The one place where symbol names are turned into what people read (Rust and C++ demangling, Rust hashes hidden). */
public final class SymbolNames {

    /** Stateless and immutable, so one instance serves every caller. */
    private static final SymbolDemangler DEMANGLER = new SymbolDemangler();

    private SymbolNames() {
    }

    public static String display(String rawSymbol) {
        return DEMANGLER.demangleOrSelf(rawSymbol);
    }
}
