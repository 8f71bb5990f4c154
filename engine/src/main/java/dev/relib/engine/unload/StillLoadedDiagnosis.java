package dev.relib.engine.unload;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.ModuleInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Why is it still loaded? The causes glibc honours, checked in the order they are most often the
 * answer (NATIVE-NOTES.md, "What pins a Rust module in memory after dlclose").
 */
public final class StillLoadedDiagnosis {

    private final DynamicLinker linker;

    public StillLoadedDiagnosis(DynamicLinker linker) {
        this.linker = linker;
    }

    /**
     * The causes that apply to this object as it is now; empty when none is known.
     *
     * @param openHandle the object's handle while it is open (before dlclose), else 0
     */
    public List<String> reasons(ModuleInfo module, ElfFile elf, List<ModuleInfo> otherModules, long openHandle) {
        List<String> reasons = new ArrayList<>();
        if (elf.dynamic().nodelete()) {
            reasons.add("DF_1_NODELETE is set in its dynamic section (linked with -z nodelete): dlclose never unmaps it");
        }
        List<ElfSymbol> unique = elf.gnuUniqueSymbols();
        if (!unique.isEmpty()) {
            reasons.add("it defines " + unique.size() + " STB_GNU_UNIQUE symbol" + (unique.size() == 1 ? "" : "s")
                    + " (first: " + unique.get(0).name() + "), which make glibc mark it NODELETE");
        }
        dependents(module, otherModules, openHandle).forEach(dependent ->
                reasons.add(dependent + " depends on it (DT_NEEDED) and is still loaded"));
        return reasons;
    }

    /** After dlclose: an open handle that is not ours explains a mapping left behind. */
    public boolean stillReferenced(Path loadedFrom) {
        return linker.isOpen(loadedFrom);
    }

    /** Loaded objects that name this one in {@code DT_NEEDED}: other modules, and any object glibc loaded. */
    private Set<String> dependents(ModuleInfo module, List<ModuleInfo> otherModules, long openHandle) {
        String fileName = module.loadedFrom().getFileName().toString();
        Set<String> dependents = new LinkedHashSet<>();
        // The files of the modules, this one's own among them: a module is named as one, not by its copy's path.
        Set<String> modulePaths = new HashSet<>();
        modulePaths.add(module.loadedFrom().toString());
        for (ModuleInfo other : otherModules) {
            modulePaths.add(other.loadedFrom().toString());
            if (other.needed().contains(fileName)) {
                dependents.add("module '" + other.name() + "'");
            }
        }
        // After dlclose the handle's link map may be gone: every listed object is read then.
        List<String> needing = openHandle != 0 ? linker.objectsLoadedAfterNeeding(openHandle, fileName)
                : linker.objectsNeeding(fileName);
        for (String object : needing) {
            if (!modulePaths.contains(object)) {
                dependents.add(object.isEmpty() ? "the program" : object);
            }
        }
        return dependents;
    }
}
