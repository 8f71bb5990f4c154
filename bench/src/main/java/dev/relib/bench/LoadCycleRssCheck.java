package dev.relib.bench;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.FreedLeaks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whole-process check: 1,000 cycles of load libleaky.so / attach / leak 1 MiB / free the leak /
 * unload, and the resident set may grow by less than 32 MiB. Run with a fixed, pre-touched heap
 * (the JVM's own growth would otherwise dominate, see NATIVE-NOTES):
 * {@code java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp bench/target/relib-bench.jar dev.relib.bench.LoadCycleRssCheck}.
 * Prints the growth; exits 1 if the bound is exceeded.
 */
public final class LoadCycleRssCheck {

    private static final int CYCLES = 1000;
    private static final int WARMUP = 50;
    private static final long LEAK = 1 << 20;
    private static final long LIMIT_KIB = 32 * 1024;

    private LoadCycleRssCheck() {
    }

    public static void main(String[] args) throws IOException {
        Path leaky = args.length > 0 ? Path.of(args[0]) : LeakyModule.locate();
        DynamicLinker linker = new DynamicLinker();
        Agent agent = Agent.load();
        long before = 0;
        for (int cycle = 0; cycle < WARMUP + CYCLES; cycle++) {
            if (cycle == WARMUP) {
                before = residentKib();
            }
            LeakyModule module = new LeakyModule(linker, leaky);
            agent.attach(module.handle(), cycle);
            module.leakBytes(LEAK);
            agent.runTlsDestructors(cycle);
            agent.runKeyDestructorsAndDelete(cycle);
            agent.disableTlsDestructors(cycle);
            FreedLeaks freed = agent.freeBlocks(cycle);
            if (freed.bytes() < LEAK) {
                throw new IllegalStateException("cycle " + cycle + ": freed only " + freed);
            }
            agent.unmapMappings(cycle);
            agent.detach(cycle);
            module.close();
            agent.forget(cycle);
        }
        long growth = residentKib() - before;
        System.out.printf("rss growth over %d load/leak 1 MiB/free/unload cycles: %.1f MiB (limit %d MiB)%n",
                CYCLES, growth / 1024.0, LIMIT_KIB / 1024);
        if (growth >= LIMIT_KIB) {
            System.exit(1);
        }
    }

    private static long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
