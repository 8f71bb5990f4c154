package dev.relib.engine.model;

import java.util.List;

/** The threads a module started, running or exited, in start order (empty when untracked). */
public record ThreadReport(String module, int moduleId, boolean tracked, List<ModuleThread> threads) {

    public ThreadReport {
        threads = List.copyOf(threads);
    }
}
