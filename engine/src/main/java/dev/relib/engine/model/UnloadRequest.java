package dev.relib.engine.model;

import dev.relib.engine.ModuleRef;

/**
 * @param keepLeaks report live allocations but do not free them
 * @param strict    any leak fails the unload check (exit code 3 in scripts)
 */
public record UnloadRequest(ModuleRef module, boolean keepLeaks, boolean strict) {

    public static UnloadRequest of(ModuleRef module) {
        return new UnloadRequest(module, false, false);
    }
}
