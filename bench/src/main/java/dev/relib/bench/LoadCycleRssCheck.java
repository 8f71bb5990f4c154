package dev.relib.bench;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.testing.SampleModules;
import java.nio.file.Path;

/**
 * Whole-process check of what a user's session does 1,000 times: load libleaky.so (tracked, from
 * its shadow copy), leak 1 MiB, unload with every check (the leak is freed, the final check
 * passes). The resident set may grow by less than 32 MiB. Run with a fixed, pre-touched heap (the
 * JVM's own growth would otherwise dominate, see NATIVE-NOTES):
 * {@code java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp bench/target/relib-bench-all.jar dev.relib.bench.LoadCycleRssCheck}.
 * Prints the growth and the time per cycle; exits 1 if the bound is exceeded.
 */
public final class LoadCycleRssCheck {

    private static final int CYCLES = 1000;
    private static final int WARMUP = 50;
    private static final long LEAK = 1 << 20;
    private static final long LIMIT_KIB = 32 * 1024;

    private LoadCycleRssCheck() {
    }

    public static void main(String[] args) {
        Path leaky = args.length > 0 ? Path.of(args[0]) : SampleModules.rust("leaky");
        long before = 0;
        long started = 0;
        try (InProcessEngine engine = InProcessEngine.start()) {
            for (int cycle = 0; cycle < WARMUP + CYCLES; cycle++) {
                if (cycle == WARMUP) {
                    before = ResidentSet.kib();
                    started = System.nanoTime();
                }
                engine.load(LoadRequest.of(leaky));
                engine.call(CallRequest.of("leak_bytes", "(usize)", Long.toString(LEAK)));
                UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));
                if (report.outcome() != UnloadReport.Outcome.UNLOADED || report.leaks().bytes() != LEAK) {
                    throw new IllegalStateException("cycle " + cycle + ": " + report);
                }
            }
        }
        long elapsed = System.nanoTime() - started;
        long growth = ResidentSet.kib() - before;
        System.out.printf("rss growth over %d load/leak 1 MiB/unload cycles: %.1f MiB (limit %d MiB); %.0f us per cycle%n",
                CYCLES, growth / 1024.0, LIMIT_KIB / 1024, elapsed / 1e3 / CYCLES);
        if (growth >= LIMIT_KIB) {
            System.exit(1);
        }
    }
}
