package dev.relib.inspectors.demangle;

import java.util.Optional;

/**
 * Demangles Rust symbol names, legacy ({@code _ZN...E}) and v0 ({@code _R...}), with the output
 * of rustc-demangle. By default hashes are hidden, as in its alternate {@code {:#}} format;
 * {@link #keepingHashes()} shows them (the legacy {@code ::h0123456789abcdef} segment, v0 crate
 * disambiguators such as {@code std[1a2b3c]}) and the types of integer constants, as its plain
 * format does.
 */
public final class RustDemangler {

    private static final String LLVM_SUFFIX = ".llvm.";

    private final boolean keepHashes;

    /** A demangler that hides hashes. */
    public RustDemangler() {
        this(false);
    }

    private RustDemangler(boolean keepHashes) {
        this.keepHashes = keepHashes;
    }

    /** A demangler that keeps hashes and crate disambiguators. */
    public static RustDemangler keepingHashes() {
        return new RustDemangler(true);
    }

    /** The demangled name, or empty when the symbol is not a well-formed Rust mangled name. */
    public Optional<String> demangle(String symbol) {
        if (symbol == null || symbol.isEmpty()) {
            return Optional.empty();
        }
        String mangled = withoutLlvmSuffix(symbol);
        Optional<Demangling> demangling = LegacyDemangler.demangle(mangled, keepHashes);
        if (demangling.isEmpty()) {
            demangling = V0Demangler.demangle(mangled, keepHashes);
        }
        return demangling
                .filter(d -> d.suffix().isEmpty() || (d.suffix().startsWith(".") && isSymbolLike(d.suffix())))
                .map(d -> d.name() + d.suffix());
    }

    /** The demangled name, or the symbol itself when it is not a Rust mangled name. */
    public String demangleOrSelf(String symbol) {
        return demangle(symbol).orElse(symbol);
    }

    /** ThinLTO renames imported local symbols by appending {@code .llvm.<hex>}; drop that. */
    private static String withoutLlvmSuffix(String symbol) {
        int at = symbol.indexOf(LLVM_SUFFIX);
        if (at < 0) {
            return symbol;
        }
        for (int k = at + LLVM_SUFFIX.length(); k < symbol.length(); k++) {
            char c = symbol.charAt(k);
            if (!((c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == '@')) {
                return symbol;
            }
        }
        return symbol.substring(0, at);
    }

    /** A suffix such as {@code .exit.i.i}: ASCII letters, digits and punctuation only. */
    private static boolean isSymbolLike(String suffix) {
        for (int k = 0; k < suffix.length(); k++) {
            char c = suffix.charAt(k);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
