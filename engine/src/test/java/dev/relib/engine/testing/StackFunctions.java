package dev.relib.engine.testing;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.ModuleInfo;
import java.util.List;
import java.util.Optional;

/** What a recorded stack says in a module's own terms, read from its symbol table. */
public final class StackFunctions {

    private StackFunctions() {
    }

    /** The module's own function (from its symbol table) each frame's call lies in, innermost first. */
    public static List<String> of(ModuleInfo module, AllocationStack stack) {
        List<ElfSymbol> functions = ElfFile.open(module.loadedFrom()).symbols().stream()
                .filter(s -> s.type() == ElfSymbol.STT_FUNC && s.value() != 0).toList();
        return stack.frames().stream()
                .map(frame -> frame - 1 - module.baseAddress())
                .map(offset -> functions.stream()
                        .filter(s -> offset >= s.value() && offset < s.value() + s.size())
                        .map(ElfSymbol::name).findFirst())
                .flatMap(Optional::stream)
                .toList();
    }
}
