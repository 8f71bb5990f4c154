package dev.relib.engine.unload;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.model.ModuleInfo;
import java.util.List;

/**
 * What the unload pipeline needs to know of one generation of a module: its description, the live
 * handle, the agent's id for it, its parsed file, and the other loaded modules (one of them may
 * depend on it).
 */
public record UnloadTarget(ModuleInfo info, long handle, int trackingId, ElfFile elf, List<ModuleInfo> otherModules) {

    public UnloadTarget {
        otherModules = List.copyOf(otherModules);
    }
}
