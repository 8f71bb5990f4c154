package dev.relib.engine.unload;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.model.ModuleInfo;
import java.util.List;

/**
 * What the unload pipeline needs to know of a module: its description, the live handle, its parsed
 * file, and the other loaded modules (one of them may depend on it).
 */
public record UnloadTarget(ModuleInfo info, long handle, ElfFile elf, List<ModuleInfo> otherModules) {

    public UnloadTarget {
        otherModules = List.copyOf(otherModules);
    }
}
