package dev.relib.engine.unload;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.relib.RelibSession;
import dev.relib.engine.sdk.SdkSession;
import java.util.List;
import java.util.Optional;

/**
 * What the unload pipeline needs to know of one generation of a module: its description, the live
 * handle, the agent's id for it, its parsed file, the other loaded modules (one of them may
 * depend on it), and its SDK session (null for a plain module).
 */
public record UnloadTarget(ModuleInfo info, long handle, int trackingId, ElfFile elf, List<ModuleInfo> otherModules,
                           SdkSession sdkSession, RelibSession relibSession) {

    public UnloadTarget(ModuleInfo info, long handle, int trackingId, ElfFile elf, List<ModuleInfo> otherModules,
                        SdkSession sdkSession) {
        this(info, handle, trackingId, elf, otherModules, sdkSession, null);
    }

    public UnloadTarget {
        otherModules = List.copyOf(otherModules);
    }

    public Optional<SdkSession> sdk() {
        return Optional.ofNullable(sdkSession);
    }

    public Optional<RelibSession> relib() {
        return Optional.ofNullable(relibSession);
    }
}
