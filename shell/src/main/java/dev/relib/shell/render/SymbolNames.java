package dev.relib.shell.render;

import dev.relib.inspectors.demangle.RustDemangler;

/** The one place where symbol names are turned into what people read (Rust demangling, hashes hidden). */
public final class SymbolNames {

    /** Stateless and immutable, so one instance serves every caller. */
    private static final RustDemangler DEMANGLER = new RustDemangler();

    private SymbolNames() {
    }

    public static String display(String rawSymbol) {
        return DEMANGLER.demangleOrSelf(rawSymbol);
    }
}
