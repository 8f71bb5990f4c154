package dev.relib.inspectors.demangle;

/**
 * Symbol names as people read them: Rust's (legacy and v0, hashes hidden) first, then C++'s
 * (Itanium, as {@code c++filt -i} prints them); any other name, or one neither reads, as it is.
 * Stateless: one instance serves every caller.
 */
public final class SymbolDemangler {

    private final RustDemangler rust = new RustDemangler();

    public String demangleOrSelf(String symbol) {
        if (symbol == null) {
            return null;
        }
        return rust.demangle(symbol).or(() -> ItaniumDemangler.demangle(symbol)).orElse(symbol);
    }
}
