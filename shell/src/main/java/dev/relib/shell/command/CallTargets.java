package dev.relib.shell.command;

import dev.relib.engine.Engine;
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
        for (ModuleInfo m : engine.modules()) {
            refs.add(m.name());
            refs.add("#" + m.id());
        }
        return CallTarget.parse(target, refs);
    }
}
