package dev.relib.shell.command;

import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleKind;

/** How a module is described in one phrase, the same in every command. */
final class ModuleDescriptions {

    private ModuleDescriptions() {
    }

    static String summary(ModuleInfo info) {
        return kind(info) + ", " + info.exportCount() + " export" + (info.exportCount() == 1 ? "" : "s")
                + ", " + (info.tracked() ? "tracked" : "untracked");
    }

    static String kind(ModuleInfo info) {
        return switch (info.kind()) {
            case SDK -> "relib SDK module";
            case RELIB -> info.relib() == null ? "relib module" : "relib module (" + RelibDescriptions.summary(info.relib()) + ")";
            case PLAIN -> "plain shared object";
        };
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
