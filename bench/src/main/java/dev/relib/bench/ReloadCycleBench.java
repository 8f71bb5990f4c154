package dev.relib.bench;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Whole-process measurement of hot reload: 1,000 cycles of (call {@code leak_bytes(1 MiB)}; reload)
 * of libleaky.so on the in-process engine, next to 1,000 raw {@code dlopen}/{@code dlclose} cycles
 * of the same file in the same run; prints cycles per second, their time ratio (goal: at most
 * 3x) and the resident set's growth over the reload cycles (goal: under 32 MiB), and exits 1 when a
 * goal is missed. Run with a fixed, pre-touched heap (see NATIVE-NOTES):
 * {@code java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp bench/target/relib-bench-all.jar dev.relib.bench.ReloadCycleBench [--json FILE]}.
 * With {@code --json FILE} the results are also written as JMH-style entries for bench/run's table.
 */
public final class ReloadCycleBench {

    private static final int CYCLES = 1000;
    private static final int WARMUP = 50;
    private static final long LEAK = 1 << 20;
    private static final double RATIO_GOAL = 3.0;
    private static final double RSS_GOAL_MIB = 32;

    private ReloadCycleBench() {
    }

    public static void main(String[] args) throws IOException {
        Path json = args.length == 2 && args[0].equals("--json") ? Path.of(args[1]) : null;
        Path work = Files.createTempDirectory("relib-reload-bench");
        try {
            Path leaky = Files.copy(SampleModules.rust("leaky"), work.resolve("libleaky.so"));
            // A build output of some time ago, as a reload of an unchanged file meets it: a stamp
            // from the last two seconds proves nothing, so such a file would be copied every time.
            Files.setLastModifiedTime(leaky, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
            Measurement raw = rawCycles(leaky);
            Measurement reload = reloadCycles(leaky);
            report(raw, reload, json);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Time per cycle and resident-set growth over the measured cycles. */
    private record Measurement(double microsPerCycle, double rssGrowthMib) {
        double perSecond() {
            return 1e6 / microsPerCycle;
        }
    }

    private static Measurement rawCycles(Path leaky) throws IOException {
        DynamicLinker linker = new DynamicLinker();
        for (int i = 0; i < WARMUP; i++) {
            rawCycle(linker, leaky);
        }
        long rss = ResidentSet.kib();
        long start = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            rawCycle(linker, leaky);
        }
        long elapsed = System.nanoTime() - start;
        return new Measurement(elapsed / 1e3 / CYCLES, (ResidentSet.kib() - rss) / 1024.0);
    }

    private static void rawCycle(DynamicLinker linker, Path leaky) {
        String error = linker.close(linker.open(leaky));
        if (error != null) {
            throw new IllegalStateException("dlclose: " + error);
        }
    }

    private static Measurement reloadCycles(Path leaky) throws IOException {
        try (InProcessEngine engine = InProcessEngine.start()) {
            engine.load(LoadRequest.of(leaky));
            for (int i = 0; i < WARMUP; i++) {
                reloadCycle(engine);
            }
            long rss = ResidentSet.kib();
            long start = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                reloadCycle(engine);
            }
            long elapsed = System.nanoTime() - start;
            return new Measurement(elapsed / 1e3 / CYCLES, (ResidentSet.kib() - rss) / 1024.0);
        }
    }

    private static void reloadCycle(InProcessEngine engine) {
        engine.call(CallRequest.of("leak_bytes", "(usize)", Long.toString(LEAK)));
        ReloadReport report = engine.reload(ReloadRequest.of(ModuleRef.implied()));
        if (report.outcome() != ReloadReport.Outcome.RELOADED || report.retired().leaks().bytes() < LEAK) {
            throw new IllegalStateException("reload did not retire the leaking generation: " + report);
        }
    }

    private static void report(Measurement raw, Measurement reload, Path json) throws IOException {
        double ratio = reload.microsPerCycle() / raw.microsPerCycle();
        boolean ratioOk = ratio <= RATIO_GOAL;
        boolean rssOk = reload.rssGrowthMib() < RSS_GOAL_MIB;
        System.out.printf(Locale.ROOT, "raw dlopen/dlclose:          %10.1f cycles/s  %8.1f us/cycle  rss %+.1f MiB%n",
                raw.perSecond(), raw.microsPerCycle(), raw.rssGrowthMib());
        System.out.printf(Locale.ROOT, "leak 1 MiB + reload (engine): %9.1f reloads/s %8.1f us/cycle  rss %+.1f MiB%n",
                reload.perSecond(), reload.microsPerCycle(), reload.rssGrowthMib());
        System.out.printf(Locale.ROOT, "time ratio %.2fx (goal <= %.0fx): %s; rss growth over %d reloads %.1f MiB "
                + "(goal < %.0f MiB): %s%n", ratio, RATIO_GOAL, ratioOk ? "pass" : "MISSED", CYCLES,
                reload.rssGrowthMib(), RSS_GOAL_MIB, rssOk ? "pass" : "MISSED");
        if (json != null) {
            Files.writeString(json, "[" + String.join(",",
                    entry("reloadCycle", reload.microsPerCycle(), "us/op"),
                    entry("rawDlopenCycle", raw.microsPerCycle(), "us/op"),
                    entry("reloadRssGrowth", reload.rssGrowthMib(), "MiB"),
                    entry("rawRssGrowth", raw.rssGrowthMib(), "MiB")) + "]\n");
        }
        if (!ratioOk || !rssOk) {
            System.exit(1);
        }
    }

    /** One result in the shape JMH writes, so bench/run's table reads it with the JMH results. */
    private static String entry(String name, double score, String unit) {
        return String.format(Locale.ROOT, "{\"benchmark\":\"dev.relib.bench.ReloadCycleBench.%s\","
                + "\"primaryMetric\":{\"score\":%.3f,\"scoreError\":0.0,\"scoreUnit\":\"%s\"}}", name, score, unit);
    }

}
