package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.error.ModuleError;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.shell.parse.CallTarget;
import java.util.ArrayList;
import java.util.List;

/** Reads a call target against what is loaded, so {@code MOD.SYMBOL} splits only on a real module. */
final class CallTargets {

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
        return CallTarget.parse(target, refs);
    }
}
