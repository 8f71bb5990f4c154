package dev.relib.engine.model;

import dev.relib.engine.ModuleRef;

/**
 * @param keepLeaks report live allocations but do not free them
 * @param strict    definitely or indirectly lost blocks, or a leaked mapping, fail the unload check
 *                  (exit code 3 in scripts); possibly lost and still reachable blocks only warn
 * @param strictAll with strict: a live block of any kind fails the check ({@code --strict=all})
 */
public record UnloadRequest(ModuleRef module, boolean keepLeaks, boolean strict, boolean strictAll) {

    public UnloadRequest(ModuleRef module, boolean keepLeaks, boolean strict) {
        this(module, keepLeaks, strict, false);
    }

    public static UnloadRequest of(ModuleRef module) {
        return new UnloadRequest(module, false, false, false);
    }

    /** Whether live blocks of this kind fail the check. */
    public boolean fails(LeakKind kind) {
        return strict && (strictAll || kind.lost());
    }
}
