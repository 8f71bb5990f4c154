package dev.relib.bench;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.worker.WorkerJvmOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Whole-process measurement of hot reload: 1,000 cycles of (call {@code leak_bytes(1 MiB)}; reload)
 * of libleaky.so on the in-process engine, and 1,000 cycles of load and unload of the same
 * unchanged file, each next to raw {@code dlopen}/{@code dlclose} cycles of the same file in the
 * same run, all three on the engine's owner thread, as the worker serves requests. The machine is
 * shared, so the three run interleaved in blocks of 50 and each kind's time is summed over its
 * blocks: load that comes and goes falls on all three alike. The CPU time of the whole process per
 * cycle is reported too ({@link ProcessCpuClock}): on an oversubscribed machine a thread waits for
 * a core, which wall time counts and CPU time does not. Prints cycles
 * per second, the time ratios (goal: at most 3x) and the resident set's growth over the reload
 * cycles (goal: under 32 MiB), and exits 1 when a goal is missed. The measurement runs in a JVM of
 * its own started with the worker's heap and compiler settings ({@link WorkerJvmOptions}): a user's
 * reload runs in the worker, and under the default settings C2's compile threads were still busy
 * after 2,000 cycles, taking one of two cores from both kinds of cycle:
 * {@code java -cp bench/target/relib-bench-all.jar dev.relib.bench.ReloadCycleBench [--json FILE]}.
 * With {@code --json FILE} the results are also written as JMH-style entries for bench/run's table.
 */
public final class ReloadCycleBench {

    private static final int CYCLES = 1000;
    private static final int BLOCK = 50;
    /** Enough for C1 to have compiled the whole path: the rate is flat from about 500 cycles on. */
    private static final int WARMUP = 1000;
    /** Set in the JVM that measures, so it does not start another. */
    private static final String MEASURING = "relib.bench.measuring";
    private static final long LEAK = 1 << 20;
    private static final double RATIO_GOAL = 3.0;
    private static final double RSS_GOAL_MIB = 32;
    /** Both kinds of cycle run on one engine: the reloaded module, and a second instance loaded and unloaded. */
    private static final ModuleRef RELOADED = ModuleRef.of("reloaded");
    private static final ModuleRef CYCLED = ModuleRef.of("cycled");
    private static final CallRequest LEAK_CALL = new CallRequest(RELOADED, "leak_bytes", "(usize)",
            List.of(Long.toString(LEAK)), 1, null);

    private ReloadCycleBench() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (System.getProperty(MEASURING) == null) {
            System.exit(inWorkerSettings(args));
        }
        Path json = args.length == 2 && args[0].equals("--json") ? Path.of(args[1]) : null;
        Path work = Files.createTempDirectory("relib-reload-bench");
        try {
            Path leaky = Files.copy(SampleModules.rust("leaky"), work.resolve("libleaky.so"));
            // A build output of some time ago, as a reload of an unchanged file meets it: a stamp
            // from the last two seconds proves nothing, so such a file would be copied every time.
            Files.setLastModifiedTime(leaky, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
            report(measure(leaky), json);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs this main again in a JVM with the worker's settings; its exit status. */
    private static int inWorkerSettings(String[] args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(WorkerJvmOptions.heapAndCompiler());
        command.add("-D" + MEASURING + "=true");
        String samples = System.getProperty(SampleModules.DIR_PROPERTY);
        if (samples != null) {
            command.add("-D" + SampleModules.DIR_PROPERTY + "=" + samples);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ReloadCycleBench.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** Time per cycle of each kind, and the resident set's growth over the measured cycles. */
    private record Results(double rawMicros, double reloadMicros, double loadUnloadMicros, double rawRssMib,
                           double reloadRssMib, double rawCpuMicros, double reloadCpuMicros, double loadUnloadCpuMicros) {
    }

    private static Results measure(Path leaky) {
        DynamicLinker linker = new DynamicLinker();
        try (InProcessEngine engine = InProcessEngine.start()) {
            // As the worker serves requests: on the owner thread, with no hand-off per operation.
            return engine.onOwnerThread(() -> measure(engine, linker, leaky));
        }
    }

    private static Results measure(InProcessEngine engine, DynamicLinker linker, Path leaky) {
        engine.load(LoadRequest.of(leaky).named(RELOADED.text()));
        for (int i = 0; i < WARMUP; i++) {
            rawCycle(linker, leaky);
            reloadCycle(engine);
            loadUnloadCycle(engine, leaky);
        }
        long raw = 0;
        long reload = 0;
        long loadUnload = 0;
        long rawRss = 0;
        long reloadRss = 0;
        long rawCpu = 0;
        long reloadCpu = 0;
        long loadUnloadCpu = 0;
        for (int done = 0; done < CYCLES; done += BLOCK) {
            long rss = ResidentSet.kib();
            long cpu = ProcessCpuClock.nanos();
            long start = System.nanoTime();
            for (int i = 0; i < BLOCK; i++) {
                rawCycle(linker, leaky);
            }
            raw += System.nanoTime() - start;
            rawCpu += ProcessCpuClock.nanos() - cpu;
            long afterRaw = ResidentSet.kib();
            rawRss += afterRaw - rss;
            cpu = ProcessCpuClock.nanos();
            start = System.nanoTime();
            for (int i = 0; i < BLOCK; i++) {
                reloadCycle(engine);
            }
            reload += System.nanoTime() - start;
            reloadCpu += ProcessCpuClock.nanos() - cpu;
            reloadRss += ResidentSet.kib() - afterRaw;
            cpu = ProcessCpuClock.nanos();
            start = System.nanoTime();
            for (int i = 0; i < BLOCK; i++) {
                loadUnloadCycle(engine, leaky);
            }
            loadUnload += System.nanoTime() - start;
            loadUnloadCpu += ProcessCpuClock.nanos() - cpu;
        }
        return new Results(raw / 1e3 / CYCLES, reload / 1e3 / CYCLES, loadUnload / 1e3 / CYCLES,
                rawRss / 1024.0, reloadRss / 1024.0, rawCpu / 1e3 / CYCLES, reloadCpu / 1e3 / CYCLES,
                loadUnloadCpu / 1e3 / CYCLES);
    }

    private static void rawCycle(DynamicLinker linker, Path leaky) {
        String error = linker.close(linker.open(leaky));
        if (error != null) {
            throw new IllegalStateException("dlclose: " + error);
        }
    }

    private static void reloadCycle(InProcessEngine engine) {
        engine.call(LEAK_CALL);
        ReloadReport report = engine.reload(ReloadRequest.of(RELOADED));
        if (report.outcome() != ReloadReport.Outcome.RELOADED || report.retired().leaks().bytes() < LEAK) {
            throw new IllegalStateException("reload did not retire the leaking generation: " + report);
        }
    }

    /** The unchanged file loaded and unloaded again, every check run: what a CI script's cycle costs. */
    private static void loadUnloadCycle(InProcessEngine engine, Path leaky) {
        engine.load(LoadRequest.of(leaky).named(CYCLED.text()));
        UnloadReport report = engine.unload(UnloadRequest.of(CYCLED));
        if (report.outcome() != UnloadReport.Outcome.UNLOADED) {
            throw new IllegalStateException("unload did not pass its final check: " + report);
        }
    }

    private static void report(Results results, Path json) throws IOException {
        double reloadRatio = results.reloadMicros() / results.rawMicros();
        double loadRatio = results.loadUnloadMicros() / results.rawMicros();
        boolean ratioOk = reloadRatio <= RATIO_GOAL;
        boolean rssOk = results.reloadRssMib() < RSS_GOAL_MIB;
        System.out.printf(Locale.ROOT, "raw dlopen/dlclose:             %10.1f cycles/s  %8.1f us/cycle  rss %+.1f MiB%n",
                1e6 / results.rawMicros(), results.rawMicros(), results.rawRssMib());
        System.out.printf(Locale.ROOT, "leak 1 MiB + reload (engine):   %10.1f cycles/s  %8.1f us/cycle  rss %+.1f MiB%n",
                1e6 / results.reloadMicros(), results.reloadMicros(), results.reloadRssMib());
        System.out.printf(Locale.ROOT, "load + unload, unchanged file:  %10.1f cycles/s  %8.1f us/cycle%n",
                1e6 / results.loadUnloadMicros(), results.loadUnloadMicros());
        System.out.printf(Locale.ROOT, "cpu per cycle (all threads): raw %.1f us, reload %.1f us (%.2fx), load+unload %.1f us "
                + "(%.2fx); load average %s%n", results.rawCpuMicros(), results.reloadCpuMicros(),
                results.reloadCpuMicros() / results.rawCpuMicros(), results.loadUnloadCpuMicros(),
                results.loadUnloadCpuMicros() / results.rawCpuMicros(), loadAverage());
        System.out.printf(Locale.ROOT, "reload ratio %.2fx (goal <= %.0fx): %s; load+unload ratio %.2fx; rss growth over %d "
                + "reloads %.1f MiB (goal < %.0f MiB): %s%n", reloadRatio, RATIO_GOAL, ratioOk ? "pass" : "MISSED",
                loadRatio, CYCLES, results.reloadRssMib(), RSS_GOAL_MIB, rssOk ? "pass" : "MISSED");
        if (json != null) {
            Files.writeString(json, "[" + String.join(",",
                    entry("reloadCycle", results.reloadMicros(), "us/op"),
                    entry("loadUnloadCycle", results.loadUnloadMicros(), "us/op"),
                    entry("rawDlopenCycle", results.rawMicros(), "us/op"),
                    entry("reloadCycleCpu", results.reloadCpuMicros(), "us/op"),
                    entry("loadUnloadCycleCpu", results.loadUnloadCpuMicros(), "us/op"),
                    entry("rawDlopenCycleCpu", results.rawCpuMicros(), "us/op"),
                    entry("reloadRssGrowth", results.reloadRssMib(), "MiB"),
                    entry("rawRssGrowth", results.rawRssMib(), "MiB")) + "]\n");
        }
        if (!ratioOk || !rssOk) {
            System.exit(1);
        }
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One result in the shape JMH writes, so bench/run's table reads it with the JMH results. */
    private static String entry(String name, double score, String unit) {
        return String.format(Locale.ROOT, "{\"benchmark\":\"dev.relib.bench.ReloadCycleBench.%s\","
                + "\"primaryMetric\":{\"score\":%.3f,\"scoreError\":0.0,\"scoreUnit\":\"%s\"}}", name, score, unit);
    }

}
