package dev.relib.engine.corpus;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.error.WorkerCrash;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.worker.WorkerEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Puts each damaged copy through what a user would try on it, in one worker engine: {@code check
 * load}, {@code load}, {@code info}, {@code exports}, {@code unload}. Each step ends in a result or
 * a typed error ("clean"), or takes the worker down ("crash"), or runs past a watchdog, which kills
 * the worker ("hang"); an {@code engine.internal} error is a bug of ours and counted apart.
 */
final class CorpusRunner implements AutoCloseable {

    enum Outcome { CLEAN, LOADED, INTERNAL_ERROR, CRASH_AT_LOAD, CRASH_AFTER_LOAD, HANG }

    record Result(MutationCorpus.Case input, Outcome outcome, String step, String detail) {
    }

    private final Path dir;
    private final Duration watchdog;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "corpus-watchdog");
        thread.setDaemon(true);
        return thread;
    });
    private WorkerEngine engine = WorkerEngine.start(line -> { });

    CorpusRunner(Path dir, Duration watchdog) {
        this.dir = dir;
        this.watchdog = watchdog;
    }

    List<Result> run(List<MutationCorpus.Case> cases) {
        List<Result> results = new ArrayList<>();
        for (MutationCorpus.Case input : cases) {
            results.add(run(input));
        }
        return results;
    }

    private Result run(MutationCorpus.Case input) {
        Path file = input.writeTo(dir);
        String step = "check load";
        boolean loaded = false;
        boolean[] hung = {false};
        try {
            step(hung, () -> engine.checkLoad(file));
            step = "load";
            ModuleInfo info = step(hung, () -> engine.load(LoadRequest.of(file)));
            loaded = true;
            ModuleRef module = ModuleRef.of(info.name());
            step = "info";
            step(hung, () -> engine.info(module));
            step = "exports";
            step(hung, () -> engine.exports(module));
            step = "unload";
            step(hung, () -> engine.unload(dev.relib.engine.model.UnloadRequest.of(module)));
            return new Result(input, Outcome.LOADED, step, "");
        } catch (WorkerCrash crash) {
            // A fresh worker, not restart: restart would load again a module that crashed after loading.
            engine.close();
            engine = WorkerEngine.start(line -> { });
            Outcome outcome = hung[0] || crash.report().cause().contains("still running")
                    ? Outcome.HANG : loaded ? Outcome.CRASH_AFTER_LOAD : Outcome.CRASH_AT_LOAD;
            return new Result(input, outcome, step, crash.report().cause());
        } catch (EngineException e) {
            boolean internal = e.code().equals("engine.internal") || e.code().startsWith("worker.");
            if (loaded) {
                engine.unload(dev.relib.engine.model.UnloadRequest.of(ModuleRef.implied()));
            }
            return new Result(input, internal ? Outcome.INTERNAL_ERROR : Outcome.CLEAN, step, e.code() + ": " + e.getMessage());
        } finally {
            delete(file);
        }
    }

    private <T> T step(boolean[] hung, java.util.function.Supplier<T> action) {
        long pid = engine.workerPid();
        ScheduledFuture<?> kill = timer.schedule(() -> {
            hung[0] = true;
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }, watchdog.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return action.get();
        } finally {
            kill.cancel(false);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table: one row per region, a column per outcome. */
    static String table(List<Result> results) {
        Map<MutationCorpus.Region, int[]> rows = new EnumMap<>(MutationCorpus.Region.class);
        for (Result result : results) {
            rows.computeIfAbsent(result.input().region(), r -> new int[Outcome.values().length])[result.outcome().ordinal()]++;
        }
        StringBuilder table = new StringBuilder(String.format("%-18s %6s %6s %7s %9s %9s %10s %5s%n", "region", "tried",
                "clean", "loaded", "internal", "crash@ld", "crash@aft", "hang"));
        int[] total = new int[Outcome.values().length];
        for (Map.Entry<MutationCorpus.Region, int[]> row : rows.entrySet()) {
            table.append(line(row.getKey().name().toLowerCase(), row.getValue()));
            for (int i = 0; i < total.length; i++) {
                total[i] += row.getValue()[i];
            }
        }
        return table.append(line("total", total)).toString();
    }

    private static String line(String name, int[] counts) {
        int tried = 0;
        for (int count : counts) {
            tried += count;
        }
        return String.format("%-18s %6d %6d %7d %9d %9d %10d %5d%n", name, tried, counts[0], counts[1], counts[2],
                counts[3], counts[4], counts[5]);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        engine.close();
    }
}
