package dev.relib.engine.unload;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.process.Mapping;
import dev.relib.engine.process.ProcessMaps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why is it still loaded? The causes glibc honours, checked in the order they are most often the
 * answer (NATIVE-NOTES.md, "What pins a Rust module in memory after dlclose").
 */
public final class StillLoadedDiagnosis {

    private final DynamicLinker linker;
    /**
     * DT_NEEDED of every mapped object seen, by device, inode and path: the dry run before each reload
     * asks who needs the module, and parsing forty-odd mapped libraries each time cost a third of it.
     * An object's file with the same identity has the same dynamic section.
     */
    private final Map<String, List<String>> neededByObject = new HashMap<>();

    public StillLoadedDiagnosis(DynamicLinker linker) {
        this.linker = linker;
    }

    /** The causes that apply to this object as it is now; empty when none is known. */
    public List<String> reasons(ModuleInfo module, ElfFile elf, List<ModuleInfo> otherModules) {
        List<String> reasons = new ArrayList<>();
        if (elf.dynamic().nodelete()) {
            reasons.add("DF_1_NODELETE is set in its dynamic section (linked with -z nodelete): dlclose never unmaps it");
        }
        List<ElfSymbol> unique = elf.gnuUniqueSymbols();
        if (!unique.isEmpty()) {
            reasons.add("it defines " + unique.size() + " STB_GNU_UNIQUE symbol" + (unique.size() == 1 ? "" : "s")
                    + " (first: " + unique.get(0).name() + "), which make glibc mark it NODELETE");
        }
        dependents(module, otherModules).forEach(dependent ->
                reasons.add(dependent + " depends on it (DT_NEEDED) and is still loaded"));
        return reasons;
    }

    /** After dlclose: an open handle that is not ours explains a mapping left behind. */
    public boolean stillReferenced(Path loadedFrom) {
        return linker.isOpen(loadedFrom);
    }

    /** Loaded objects that name this one in {@code DT_NEEDED}: other modules, and any mapped object. */
    private Set<String> dependents(ModuleInfo module, List<ModuleInfo> otherModules) {
        String fileName = module.loadedFrom().getFileName().toString();
        Set<String> dependents = new LinkedHashSet<>();
        for (ModuleInfo other : otherModules) {
            if (other.needed().contains(fileName)) {
                dependents.add("module '" + other.name() + "'");
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Mapping mapping : ProcessMaps.snapshot()) {
            if (mapping.isFile() && mapping.path().startsWith("/") && mapping.offset() == 0 && seen.add(mapping.path())
                    && !mapping.maps(module.loadedFromIdentity()) && neededBy(mapping).contains(fileName)) {
                dependents.add(mapping.path());
            }
        }
        return dependents;
    }

    private List<String> neededBy(Mapping object) {
        String key = object.deviceMajor() + ":" + object.deviceMinor() + ":" + object.inode() + ":" + object.path();
        return neededByObject.computeIfAbsent(key, k -> {
            try {
                return ElfFile.open(Path.of(object.path())).dynamic().needed();
            } catch (LoadError e) {
                // Jars, the CDS archive and locale data are mapped too: not ELF, so not a dependent.
                return List.of();
            }
        });
    }
}
