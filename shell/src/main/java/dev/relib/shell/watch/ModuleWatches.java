package dev.relib.shell.watch;

import dev.relib.engine.Engine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.ModuleError;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.shell.CommandFailedException;
import dev.relib.shell.ErrorMapper;
import dev.relib.shell.command.ReloadReportView;
import dev.relib.shell.render.Output;
import dev.relib.shell.render.Renderer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The session's watches: each reloads its module when the module's file settles after a change,
 * and renders the reload report as background output (above the prompt in the REPL). Works the
 * same for both engines, since it only asks the engine to reload; both take single calls from any
 * thread.
 */
public final class ModuleWatches implements AutoCloseable {

    private final Supplier<Engine> engine;
    private final Renderer renderer;
    private final ErrorMapper errors = new ErrorMapper();
    private final Map<String, Watch> watches = new LinkedHashMap<>();

    public ModuleWatches(Supplier<Engine> engine, Renderer renderer) {
        this.engine = engine;
        this.renderer = renderer;
    }

    /** Starts watching the module's source file; watching it again only changes nothing. */
    public synchronized WatchStatus start(ModuleInfo module, Duration settle) {
        Watch existing = watches.get(module.name());
        if (existing != null) {
            return existing.status();
        }
        Watch watch = new Watch(module.name(), Instant.now());
        try {
            watch.file = FileWatch.start(module.source(), settle, () -> reload(watch), text -> notice(watch, text));
        } catch (IOException e) {
            throw new CommandFailedException("watch.failed", "cannot watch " + module.source().getParent()
                    + " (" + e.getMessage() + ")");
        }
        watches.put(module.name(), watch);
        return watch.status();
    }

    /** Stops watching the module; false when it was not watched. */
    public boolean stop(String module) {
        Watch watch;
        synchronized (this) {
            watch = watches.remove(module);
        }
        if (watch == null) {
            return false;
        }
        watch.file.close();
        return true;
    }

    /** Stops every watch; returns what was watched. */
    public List<WatchStatus> stopAll() {
        List<WatchStatus> stopped = list();
        stopped.forEach(status -> stop(status.module()));
        return stopped;
    }

    public synchronized List<WatchStatus> list() {
        return watches.values().stream().map(Watch::status).toList();
    }

    @Override
    public void close() {
        stopAll();
    }

    private void reload(Watch watch) {
        String origin = "watch " + watch.module;
        try {
            ReloadReport report = engine.get().reload(ReloadRequest.of(ModuleRef.of(watch.module)));
            watch.reloaded(report.outcome().name());
            Output output = ReloadReportView.full(report);
            renderer.background(origin, output, output.checkFailure());
        } catch (ModuleError.NotLoaded e) {
            synchronized (this) {
                watches.remove(watch.module, watch);
            }
            renderer.background(origin, Output.text(watch.module + " is no longer loaded; the watch has ended"), null);
            watch.file.close();
        } catch (RuntimeException e) {
            renderer.background(origin, null, errors.map(e));
        }
    }

    private void notice(Watch watch, String text) {
        renderer.background("watch " + watch.module, Output.text(text), null);
    }

    /** A watch and what it has done so far; counters are written by its own thread. */
    private static final class Watch {
        final String module;
        final Instant since;
        volatile FileWatch file;
        volatile int reloads;
        volatile String lastOutcome;

        Watch(String module, Instant since) {
            this.module = module;
            this.since = since;
        }

        synchronized void reloaded(String outcome) {
            reloads++;
            lastOutcome = outcome;
        }

        synchronized WatchStatus status() {
            return new WatchStatus(module, file.file(), file.settle(), since, reloads, lastOutcome);
        }
    }
}
