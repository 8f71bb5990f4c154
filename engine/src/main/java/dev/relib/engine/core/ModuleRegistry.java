package dev.relib.engine.core;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.ModuleError;
import dev.relib.engine.model.FileIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loaded modules, in load order, with ids that are never reused. The engine's only mutable
 * registry; confined to the module owner thread.
 */
final class ModuleRegistry {

    private final Map<Integer, LoadedModule> modules = new LinkedHashMap<>();
    private int nextId = 1;
    private int nextTrackingId = 1;

    int allocateId() {
        return nextId++;
    }

    /**
     * The next module gets {@code id}, and later ones the ids after it: a restarted worker gives
     * modules back the ids they had. Ids are never reused, so none below the next one is accepted.
     */
    void continueIdsAt(int id) {
        if (id < nextId) {
            throw new IllegalArgumentException("module id " + id + " was already given; the next is " + nextId);
        }
        nextId = id;
    }

    /** The agent's id for one generation; generations of one module live side by side during a reload. */
    int allocateTrackingId() {
        return nextTrackingId++;
    }

    /** Puts the next generation where the old one was, keeping load order. */
    void replace(LoadedModule old, LoadedModule next) {
        modules.put(old.id(), next);
    }

    void add(LoadedModule module) {
        modules.put(module.id(), module);
    }

    void remove(LoadedModule module) {
        modules.remove(module.id());
    }

    List<LoadedModule> all() {
        return new ArrayList<>(modules.values());
    }

    boolean isEmpty() {
        return modules.isEmpty();
    }

    Optional<LoadedModule> byName(String name) {
        for (LoadedModule module : modules.values()) {
            if (module.name().equals(name)) {
                return Optional.of(module);
            }
        }
        return Optional.empty();
    }

    /** The module loaded from this source file (by device and inode, never by path text). */
    Optional<LoadedModule> bySource(FileIdentity source) {
        for (LoadedModule module : modules.values()) {
            if (module.info().identity().equals(source)) {
                return Optional.of(module);
            }
        }
        return Optional.empty();
    }

    /** A name, {@code #id}, or nothing when exactly one module is loaded. */
    LoadedModule resolve(ModuleRef ref) {
        if (ref == null || ref.isImplied()) {
            if (modules.isEmpty()) {
                throw new ModuleError.NoneLoaded();
            }
            if (modules.size() > 1) {
                throw new ModuleError.Ambiguous(names());
            }
            return modules.values().iterator().next();
        }
        int id = ref.idOrMinusOne();
        LoadedModule found = id >= 0 ? modules.get(id) : byName(ref.text()).orElse(null);
        if (found == null) {
            throw new ModuleError.NotLoaded(ref.text(), names());
        }
        return found;
    }

    List<String> names() {
        return modules.values().stream().map(LoadedModule::name).toList();
    }
}
