package dev.relib.engine.sdk;

import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.process.Mapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every panic the engine took, across generations and unloads: a backtrace stays readable after
 * the module that panicked was reloaded or unloaded. Bounded; the oldest go first. Owner thread only.
 */
public final class PanicLog {

    /** Oldest panics are dropped past this many, as a module drops the ones nobody took. */
    private static final int KEPT = 256;

    private final List<PanicRecord> panics = new ArrayList<>();

    public void add(PanicRecord panic) {
        panics.add(panic);
        if (panics.size() > KEPT) {
            panics.remove(0);
        }
    }

    /** All panics, oldest first. */
    public List<PanicRecord> all() {
        return List.copyOf(panics);
    }

    /** The panics of modules of this name, whichever generation. */
    public List<PanicRecord> of(String module) {
        return panics.stream().filter(p -> p.module().equals(module)).toList();
    }

    /** Whether a kept panic has frames in this file: its symbols are still needed. */
    public boolean references(Path file) {
        if (panics.isEmpty()) {
            return false; // asked at every reload, and most sessions keep no panic
        }
        String path = file.toString();
        return panics.stream().anyMatch(p -> p.frameMappings().stream().map(Mapping::path).anyMatch(path::equals));
    }
}
