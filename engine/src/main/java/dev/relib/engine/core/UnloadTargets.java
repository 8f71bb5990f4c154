package dev.relib.engine.core;

import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.unload.UnloadTarget;
import java.util.ArrayList;
import java.util.List;

/** One generation as the unload pipeline sees it, with the other loaded modules beside it. */
final class UnloadTargets {

    private UnloadTargets() {
    }

    static UnloadTarget of(ModuleRegistry registry, LoadedModule module) {
        List<ModuleInfo> others = new ArrayList<>();
        for (LoadedModule other : registry.all()) {
            if (other != module) {
                others.add(other.info());
            }
        }
        return new UnloadTarget(module.info(), module.handle(), module.trackingId(), module.elf(), others,
                module.sdk().orElse(null), module.relib().orElse(null));
    }
}
