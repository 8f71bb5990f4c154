package dev.relib.engine.relib.call;

import java.util.Optional;
import java.util.Set;

/**
 * How relib 0.7 names what a module exports (RELIB-PROTOCOL.md section 2): {@code #[export] fn X}
 * is {@code __relib__X}, a trait function {@code Exports::f} is {@code __relib__Exports_f}, a boxed
 * export's free function is {@code __post} + that symbol, and relib's own machinery is
 * {@code __relib_____Internal___*} plus the hooks an unloading module exports to win over libc.
 */
public final class RelibExportNames {

    public static final String PREFIX = "__relib__";
    public static final String POST = "__post";
    public static final String COMPILATION_INFO = "__RELIB__CRATE_COMPILATION_INFO__";
    private static final String INTERNAL = "__relib_____Internal___";
    /** Exported by relib_module's unloading_core so that, under RTLD_DEEPBIND, the module's own calls reach them. */
    private static final Set<String> HOOKS = Set.of("pthread_create", "__cxa_thread_atexit_impl", "mmap64", "munmap",
            "pthread_key_create", "pthread_key_delete");

    private RelibExportNames() {
    }

    /** {@code __relib__main} -> {@code main}, {@code __relib__Exports_ref_ret} -> {@code Exports::ref_ret}; else empty. */
    public static Optional<String> relibName(String symbol) {
        if (!symbol.startsWith(PREFIX) || symbol.startsWith(INTERNAL)) {
            return Optional.empty();
        }
        String rest = symbol.substring(PREFIX.length());
        int underscore = rest.indexOf('_');
        // A trait is a Rust type name (CamelCase, no underscore); a free function has no trait part.
        if (underscore > 0 && Character.isUpperCase(rest.charAt(0))) {
            return Optional.of(rest.substring(0, underscore) + "::" + rest.substring(underscore + 1));
        }
        return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
    }

    /** {@code Exports::ref_ret} -> {@code __relib__Exports_ref_ret}; {@code main} -> {@code __relib__main}. */
    public static String symbolOf(String relibName) {
        if (relibName.startsWith(PREFIX)) {
            return relibName;
        }
        int separator = relibName.indexOf("::");
        return separator < 0 ? PREFIX + relibName
                : PREFIX + relibName.substring(0, separator) + "_" + relibName.substring(separator + 2);
    }

    public static String postOf(String symbol) {
        return POST + symbol;
    }

    /** What {@code exports} folds away: post functions, relib's internal exports and its libc hooks. */
    public static boolean isMachinery(String symbol) {
        return symbol.startsWith(POST + PREFIX) || symbol.startsWith(INTERNAL) || HOOKS.contains(symbol)
                || symbol.equals(COMPILATION_INFO);
    }
}
