package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.ModuleError;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.shell.CommandFailedException;
import dev.relib.shell.parse.CallTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a call target against what is loaded, so {@code MOD.SYMBOL} splits only on a real module,
 * and a bare {@code SYMBOL} goes to the one loaded module that exports it. A bare symbol is first
 * sent as it is: with one module loaded the engine resolves it, and only when the engine answers
 * that several are loaded ({@link #AMBIGUOUS}, before anything ran) are the exporters looked up,
 * which saves a script's every call a round trip to the worker for the module list.
 */
final class CallTargets {

    /** The engine's code for an implied module while several are loaded; nothing ran. */
    static final String AMBIGUOUS = "module.ambiguous";

    private CallTargets() {
    }

    static CallTarget parse(String target, Engine engine) {
        int paren = target.indexOf('(');
        String head = paren < 0 ? target : target.substring(0, paren);
        if (head.indexOf('.') <= 0) {
            return CallTarget.parse(target, List.of());
        }
        List<String> refs = new ArrayList<>();
        List<ModuleInfo> loaded = engine.modules();
        for (ModuleInfo m : loaded) {
            refs.add(m.name());
            refs.add("#" + m.id());
        }
        String prefix = head.substring(0, head.indexOf('.'));
        if (!refs.contains(prefix) && loaded.size() != 1) {
            // With one module a dotted name is that module's symbol; with several (or none) the
            // prefix can only have meant a module, so say that it is not loaded (issue 16.7).
            throw new ModuleError.NotLoaded(prefix, loaded.stream().map(ModuleInfo::name).toList());
        }
        return withExporter(CallTarget.parse(target, refs), engine);
    }

    /**
     * A target that names no module, while several are loaded, goes to the one that exports its
     * symbol; with several exporting it the user is told to name one. With one module
     * loaded (or none), or none exporting it, it is returned as it was, for the engine to resolve.
     */
    static CallTarget withExporter(CallTarget target, Engine engine) {
        if (!target.module().isImplied()) {
            return target;
        }
        List<ModuleInfo> loaded = engine.modules();
        if (loaded.size() < 2) {
            return target;
        }
        List<ModuleInfo> exporters = loaded.stream().filter(m -> exports(engine, m, target.symbol())).toList();
        if (exporters.isEmpty()) {
            // A name no export table lists as such (a relib name the engine maps): the engine says what to do.
            return target;
        }
        if (exporters.size() == 1) {
            return new CallTarget(ModuleRef.id(exporters.get(0).id()), target.symbol(), target.signature());
        }
        List<String> names = exporters.stream().map(ModuleInfo::name).toList();
        throw new CommandFailedException("module.ambiguous", "'" + target.symbol() + "' is exported by several loaded"
                + " modules (" + String.join(", ", names) + "); name one, as " + names.get(0) + "." + target.symbol());
    }

    private static boolean exports(Engine engine, ModuleInfo module, String symbol) {
        if (symbol.equals("main") && module.sdk() != null && module.sdk().hasMain()) {
            return true;
        }
        return engine.exports(ModuleRef.id(module.id())).stream().anyMatch(e -> e.symbol().equals(symbol));
    }
}
