package dev.relib.engine.model;

import java.util.List;

/**
 * What {@code restart} brought back into the new worker.
 *
 * @param reloaded the modules loaded again, with their remembered signatures
 * @param failed   one line per module or signature that could not be restored, with why
 */
public record RestartReport(long workerPid, List<ModuleInfo> reloaded, List<String> failed) {

    public RestartReport {
        reloaded = List.copyOf(reloaded);
        failed = List.copyOf(failed);
    }
}
