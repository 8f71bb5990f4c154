package dev.relib.shell.command;

import dev.relib.engine.ModuleRef;
import picocli.CommandLine.Parameters;

/** The optional MOD argument: a module name or {@code #id}; implied when one module is loaded. */
public final class ModuleOption {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MOD",
            description = "Module name or #id; may be left out when one module is loaded.")
    String module;

    public ModuleRef ref() {
        return ModuleRef.of(module);
    }
}
