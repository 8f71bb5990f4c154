package dev.relib.shell.render;

/** The one place where symbol names are turned into what people read (Rust demangling). */
public final class SymbolNames {

    private SymbolNames() {
    }

    public static String display(String rawSymbol) {
        return rawSymbol;
    }
}
