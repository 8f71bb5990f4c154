package dev.relib.engine.model;

import java.util.List;

/**
 * What a relib 0.7 module says about itself ({@code __RELIB__CRATE_COMPILATION_INFO__}) and what the
 * engine learned loading it.
 *
 * @param compilationInfo the whole string, {@code rustc|host|llvm|relib|unloading}
 * @param rustc           the rustc that built it, e.g. {@code 1.95.0 (59807616e 2026-04-14)}
 * @param hostTriple      the compiler's host triple
 * @param llvm            the LLVM version
 * @param relibVersion    relib's version, e.g. {@code 0.7.0}
 * @param unloading       built with relib_module's {@code unloading} (or {@code unloading_core}) feature
 * @param allocTracker    relib's alloc tracker reported its reservations during {@code init}; null
 *                        when not known (before load, or a module without unloading)
 * @param relibModuleId   the id passed to the module's {@code init} (0 before load or without unloading)
 * @param refusals        what relib_host would refuse about it (empty when it would load it)
 * @param forced          loaded with {@code --force} despite {@code refusals}
 * @param imports         the module's user import slots and what fills them
 */
public record RelibInfo(String compilationInfo, String rustc, String hostTriple, String llvm, String relibVersion,
                        boolean unloading, Boolean allocTracker, long relibModuleId, List<String> refusals,
                        boolean forced, List<RelibImport> imports) {

    public RelibInfo {
        refusals = List.copyOf(refusals);
        imports = List.copyOf(imports);
    }

    /**
     * One user import slot ({@code __relib__Imports_foo}).
     *
     * @param name    relib's name, {@code Imports::foo}
     * @param symbol  the slot's symbol
     * @param boxed   it has a {@code __post__} slot: the host returns a pointer to the value
     * @param boundTo what fills it ({@code stub = 42}), or null when nothing does
     */
    public record RelibImport(String name, String symbol, boolean boxed, String boundTo) {

        public boolean bound() {
            return boundTo != null;
        }
    }
}
