package dev.relib.engine.relib;

import java.util.List;

/** The symbol names of relib 0.7's host protocol (RELIB-PROTOCOL.md in the team's docs, sections 2 to 4). */
public final class RelibSymbols {

    /** A {@code Str} static: the module's compilation info. Its presence makes a file a relib module. */
    public static final String COMPILATION_INFO = "__RELIB__CRATE_COMPILATION_INFO__";
    /** User exports and import slots: {@code __relib__main}, {@code __relib__Exports_f}, {@code __relib__Imports_f}. */
    public static final String PREFIX = "__relib__";
    /** A boxed export's free function or a boxed import's free slot: {@code __post} + the symbol. */
    public static final String POST = "__post";
    public static final String INTERNAL_EXPORTS = "__relib_____Internal___Exports____";
    public static final String INTERNAL_IMPORTS = "__relib_____Internal___Imports____";

    public static final String INIT = INTERNAL_EXPORTS + "init";
    public static final String EXIT = INTERNAL_EXPORTS + "exit";
    public static final String TAKE_CACHED_ALLOCS = INTERNAL_EXPORTS + "take_cached_allocs_before_exit";
    public static final String LOCK_ALLOCATOR = INTERNAL_EXPORTS + "lock_module_allocator";
    public static final String SPAWNED_THREADS_COUNT = INTERNAL_EXPORTS + "spawned_threads_count";
    public static final String RUN_TLS_DTORS = INTERNAL_EXPORTS + "run_thread_local_dtors";
    public static final String MISC_CLEANUP = INTERNAL_EXPORTS + "misc_cleanup";
    public static final String SET_DEALLOC_CALLBACK = INTERNAL_EXPORTS + "set_dealloc_callback";

    /** In the order the agent hands out their functions ({@code relib_agent_relib_imports}). */
    public static final List<String> INTERNAL_IMPORT_SLOTS = List.of(
            INTERNAL_IMPORTS + "on_alloc",
            INTERNAL_IMPORTS + "on_cached_allocs",
            INTERNAL_IMPORTS + "unrecoverable",
            INTERNAL_IMPORTS + "is_ptr_allocated");

    public static final String MAIN = PREFIX + "main";
    public static final String BEFORE_UNLOAD = PREFIX + "before_unload";

    private RelibSymbols() {
    }

    /** Whether the symbol belongs to relib's machinery rather than the user's interface. */
    public static boolean isInternal(String symbol) {
        return symbol.startsWith(INTERNAL_EXPORTS) || symbol.startsWith(INTERNAL_IMPORTS)
                || symbol.equals(COMPILATION_INFO);
    }

    /** {@code __relib__Imports_foo} -> {@code Imports::foo}; {@code __relib__main} -> {@code main}. */
    public static String relibName(String symbol) {
        String rest = symbol.substring(PREFIX.length());
        int underscore = rest.indexOf('_');
        // Trait names are Rust type names (CamelCase, no underscore); a free function has no trait part.
        if (underscore > 0 && Character.isUpperCase(rest.charAt(0))) {
            return rest.substring(0, underscore) + "::" + rest.substring(underscore + 1);
        }
        return rest;
    }

    /** {@code Imports::foo} -> {@code __relib__Imports_foo}; {@code main} -> {@code __relib__main}. */
    public static String symbolOf(String relibName) {
        return PREFIX + relibName.replace("::", "_");
    }

    public static String postOf(String symbol) {
        return POST + symbol;
    }
}
