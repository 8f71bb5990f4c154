package dev.relib.inspectors.allocations;

import dev.relib.inspectors.symbols.Frame;
import java.util.List;
import java.util.Set;

/**
 * The site rule: which frames of a stack are the user's own code. A frame is library code when its
 * source file is one of a toolchain's or a dependency's, or, without a file, when its function is
 * rooted in a library crate or namespace; a frame in another object (libc, libstdc++, the agent,
 * the JVM) is never the module's user code. The rule, as the man page states it:
 * <ul>
 *   <li>Rust's standard library and its own dependencies: sources under {@code /rustc/HASH/} or
 *       {@code /rust/deps/} (how rustc records them), or a local {@code rustlib/src} copy; names
 *       rooted in {@code std}, {@code core}, {@code alloc}, {@code hashbrown} and the other crates
 *       std is built from;</li>
 *   <li>crates from crates.io or git ({@code .cargo/registry/}, {@code .cargo/git/}): the user's
 *       dependencies, whose callers are the user's code;</li>
 *   <li>C and C++ system headers ({@code /usr/include/}, libstdc++'s templates under
 *       {@code /usr/include/c++/} or gcc's directories), and names in {@code std::} or
 *       {@code __gnu_cxx::};</li>
 *   <li>the relib SDK's runtime ({@code relib_sdk::}), and the allocator shims rustc generates
 *       ({@code __rust_alloc}, {@code __rdl_alloc}, {@code __rg_alloc}).</li>
 * </ul>
 */
public final class UserCode {

    /** Crates of Rust's standard library and the crates it is built from. */
    private static final Set<String> LIBRARY_CRATES = Set.of("std", "core", "alloc", "hashbrown", "compiler_builtins",
            "std_detect", "panic_unwind", "panic_abort", "unwind", "rustc_demangle", "addr2line", "gimli", "object",
            "miniz_oxide", "adler2", "adler", "memchr", "cfg_if", "libc", "rustc_std_workspace_core",
            "rustc_std_workspace_alloc", "relib_sdk", "relib_module", "__rustc");
    /** C++ namespaces of the standard library and its implementation. */
    private static final Set<String> LIBRARY_NAMESPACES = Set.of("std", "__gnu_cxx", "__cxxabiv1", "__gnu_debug");
    private static final List<String> LIBRARY_FUNCTION_PREFIXES = List.of("__rust_", "__rdl_", "__rg_", "_Unwind_");
    private static final List<String> LIBRARY_PATH_PARTS = List.of("/rustc/", "/rust/deps/", "/lib/rustlib/src/",
            "/.cargo/registry/", "/.cargo/git/", "/usr/include/", "/usr/lib/gcc/", "/usr/local/include/");

    private UserCode() {
    }

    /** Whether {@code frame} is the user's code in the module loaded from {@code moduleFile}. */
    public static boolean isUserFrame(Frame frame, String moduleFile) {
        return moduleFile.equals(frame.object()) && !isLibrary(frame);
    }

    /** Whether the frame's code is a library's (see the class comment), wherever it is linked. */
    public static boolean isLibrary(Frame frame) {
        if (frame.file() != null) {
            return isLibraryFile(frame.file());
        }
        return frame.function() != null && isLibraryName(frame.function());
    }

    static boolean isLibraryFile(String file) {
        for (String part : LIBRARY_PATH_PARTS) {
            if (file.startsWith(part) || file.contains(part)) {
                return true;
            }
        }
        // rustc's own sources when it records them unremapped (a toolchain built locally).
        return file.matches(".*/library/(std|core|alloc|proc_macro|panic_unwind|panic_abort)/src/.*");
    }

    /**
     * A demangled name rooted in a library: {@code alloc::vec::from_elem}, {@code <alloc::vec::Vec<u8>>::push}
     * (an inherent method of a library type), {@code <u8 as alloc::vec::spec_from_elem::SpecFromElem>::from_elem}
     * (a library trait implemented for a library type: both must be), {@code std::vector<int>::push_back}.
     */
    static boolean isLibraryName(String function) {
        for (String prefix : LIBRARY_FUNCTION_PREFIXES) {
            if (function.startsWith(prefix)) {
                return true;
            }
        }
        String name = function.strip();
        if (name.startsWith("<")) {
            int close = matchingAngle(name, 0);
            if (close < 0) {
                return false;
            }
            String inner = name.substring(1, close);
            int as = topLevelAs(inner);
            if (as < 0) {
                return isLibraryPath(inner);
            }
            return isLibraryPath(inner.substring(0, as)) && isLibraryPath(inner.substring(as + 4));
        }
        return isLibraryPath(name);
    }

    /** A path whose first segment is a library crate or namespace, or a primitive type. */
    private static boolean isLibraryPath(String path) {
        String p = path.strip();
        while (p.startsWith("&") || p.startsWith("*const ") || p.startsWith("*mut ") || p.startsWith("mut ")
                || p.startsWith("dyn ")) {
            p = p.startsWith("&") ? p.substring(1) : p.substring(p.indexOf(' ') + 1);
        }
        if (p.startsWith("[") || p.startsWith("(")) {
            return true; // slices, arrays and tuples: library types
        }
        if (p.startsWith("<")) {
            return isLibraryName(p);
        }
        int end = 0;
        while (end < p.length() && (Character.isLetterOrDigit(p.charAt(end)) || p.charAt(end) == '_')) {
            end++;
        }
        String root = p.substring(0, end);
        boolean qualified = p.startsWith("::", end);
        if (!qualified) {
            return PRIMITIVES.contains(root);
        }
        return LIBRARY_CRATES.contains(root) || LIBRARY_NAMESPACES.contains(root);
    }

    private static final Set<String> PRIMITIVES = Set.of("bool", "char", "str", "u8", "u16", "u32", "u64", "u128",
            "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64", "f16", "f128");

    private static int matchingAngle(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>' && (i == 0 || text.charAt(i - 1) != '-')) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The index of the " as " that separates a qualified path's type from its trait, or -1. */
    private static int topLevelAs(String inner) {
        int depth = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '<' || c == '(' || c == '[') {
                depth++;
            } else if ((c == '>' && (i == 0 || inner.charAt(i - 1) != '-')) || c == ')' || c == ']') {
                depth--;
            } else if (depth == 0 && inner.startsWith(" as ", i)) {
                return i;
            }
        }
        return -1;
    }
}
