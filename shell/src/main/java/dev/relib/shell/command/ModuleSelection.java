package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.error.ModuleError;
import dev.relib.engine.model.ModuleInfo;
import java.util.List;
import java.util.function.Function;

/** For commands that report on one module or, with none named, on every loaded module. */
final class ModuleSelection {

    private ModuleSelection() {
    }

    /**
     * One report per selected module, in load order. With none named the engine is asked for the
     * implied one first: with one module loaded that is the answer, without a round trip for the
     * module list; only when it answers that several are loaded (nothing ran) are they listed.
     */
    static <T> List<T> reports(Engine engine, ModuleOption option, Function<ModuleRef, T> report) {
        if (option.ref().isImplied()) {
            try {
                return List.of(report.apply(ModuleRef.implied()));
            } catch (EngineException e) {
                if (!e.code().equals(CallTargets.AMBIGUOUS)) {
                    throw e;
                }
            }
        }
        return namedOrAll(engine, option).stream().map(report).toList();
    }

    /** The named module, or all loaded ones; none loaded is the engine's usual error. */
    static List<ModuleRef> namedOrAll(Engine engine, ModuleOption option) {
        if (!option.ref().isImplied()) {
            return List.of(option.ref());
        }
        List<ModuleInfo> loaded = engine.modules();
        if (loaded.isEmpty()) {
            throw new ModuleError.NoneLoaded();
        }
        return loaded.stream().map(m -> ModuleRef.id(m.id())).toList();
    }
}
