package dev.relib.engine.model;

import dev.relib.engine.ModuleRef;

/**
 * @param strict refuse the reload when an export changed its signature
 * @param force  when the old generation cannot be unloaded, keep it running beside the new one
 *               (renamed {@code NAME@GEN}) instead of discarding the new
 */
public record ReloadRequest(ModuleRef module, boolean strict, boolean force) {

    public static ReloadRequest of(ModuleRef module) {
        return new ReloadRequest(module, false, false);
    }
}
