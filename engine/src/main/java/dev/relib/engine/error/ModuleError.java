package dev.relib.engine.error;

import java.util.List;

/** A module reference that does not name exactly one loaded module. */
public abstract sealed class ModuleError extends EngineException {

    private ModuleError(String code, String message) {
        super(code, message);
    }

    public static final class NotLoaded extends ModuleError {
        public NotLoaded(String ref, List<String> loaded) {
            super("module.not_loaded", "no module '" + ref + "' is loaded"
                    + (loaded.isEmpty() ? "; load one with: load PATH" : "; loaded: " + String.join(", ", loaded)));
        }
    }

    public static final class NoneLoaded extends ModuleError {
        public NoneLoaded() {
            super("module.none_loaded", "no module is loaded; load one with: load PATH");
        }
    }

    public static final class Ambiguous extends ModuleError {
        public Ambiguous(List<String> loaded) {
            super("module.ambiguous", "several modules are loaded (" + String.join(", ", loaded)
                    + "); name one, as MOD or #ID");
        }
    }
}
