package dev.relib.bench;

import dev.relib.engine.testing.SampleModules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The shell as a user runs it ({@code ./relib SCRIPT}, the launcher bench/run passes as
 * {@code -Drelib.launcher}, or {@code java -jar relib-shell-all.jar SCRIPT} without it; a worker
 * process and all), measured from outside:
 * <ul>
 * <li>a 50-command script (load, call, allocs, unload, ten times) next to a one-command script,
 *     interleaved five times; the medians, and the cost per command between them (goal: the
 *     50-command script under 1 s);</li>
 * <li>the worker's resident set over 1,000 {@code load; call leak; call churn; unload} cycles: its
 *     size once 50 cycles are done, and its peak over the rest (goal: growth under 32 MiB).</li>
 * </ul>
 * The jar is {@code -Drelib.shell.jar}; bench/run passes it. {@code --json FILE} writes the
 * results as JMH-style entries for bench/run's table.
 */
public final class ShellBench {

    private static final int RUNS = 5;
    private static final int CYCLES = 1000;
    private static final int SETTLED_CYCLES = 50;
    private static final double SCRIPT_GOAL_MILLIS = 1000;
    private static final double RSS_GOAL_MIB = 32;

    private ShellBench() {
    }

    public static void main(String[] args) throws Exception {
        Path json = args.length == 2 && args[0].equals("--json") ? Path.of(args[1]) : null;
        Path jar = Path.of(System.getProperty("relib.shell.jar", "shell/target/relib-shell-all.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -pl shell -am package");
        }
        Path work = Files.createTempDirectory("relib-shell-bench");
        try {
            String leaky = SampleModules.rust("leaky").toString();
            Path one = Files.writeString(work.resolve("one.relib"), "modules\n");
            Path fifty = Files.writeString(work.resolve("fifty.relib"), repeat(10, "load " + leaky,
                    "call leak_bytes(usize) 1048576", "call box_roundtrip(u64) -> u64 1000", "allocs", "unload"));
            Path cycles = Files.writeString(work.resolve("cycles.relib"), repeat(CYCLES, "load " + leaky,
                    "call leak_bytes(usize) 1048576", "call box_roundtrip(u64) -> u64 10000", "unload"));
            // The first run writes the class-data archives the others start from (see README).
            run(jar, one, null);
            List<Run> ones = new ArrayList<>();
            List<Run> fifties = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                ones.add(run(jar, one, null));
                fifties.add(run(jar, fifty, null));
            }
            Run cycled = run(jar, cycles, new RssProbe());
            report(ones, fifties, cycled.rss().orElseThrow(), json);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String repeat(int times, String... commands) {
        String block = String.join("\n", commands) + "\n";
        return block.repeat(times);
    }

    /** Wall time, and CPU time of the shell and its worker (this process's reaped children). */
    private record Run(double millis, double cpuMillis, Optional<RssProbe> rss) {
    }

    /** cutime + cstime of /proc/self/stat: what every waited-for descendant used, in ms. */
    private static double childrenCpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 16 and 17 of proc(5), counted from the state field (3).
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The worker's resident set: when SETTLED_CYCLES unloads are done, and its peak afterwards. */
    private static final class RssProbe {
        final AtomicInteger unloads = new AtomicInteger();
        final AtomicLong settledKib = new AtomicLong(-1);
        final AtomicLong peakKib = new AtomicLong(-1);
        volatile long workerPid = -1;

        void sample() {
            long pid = workerPid;
            if (pid < 0) {
                return;
            }
            long kib = rssKib(pid);
            if (kib < 0) {
                return;
            }
            if (unloads.get() >= SETTLED_CYCLES) {
                settledKib.compareAndSet(-1, kib);
                peakKib.accumulateAndGet(kib, Math::max);
            }
        }

        double settledMib() {
            return settledKib.get() / 1024.0;
        }

        double growthMib() {
            return (peakKib.get() - settledKib.get()) / 1024.0;
        }
    }

    /** Runs the script to its end; with a probe, samples the worker's resident set every 10 ms meanwhile. */
    private static Run run(Path jar, Path script, RssProbe probe) throws Exception {
        double cpuBefore = childrenCpuMillis();
        long start = System.nanoTime();
        Process shell = new ProcessBuilder(shellCommand(jar, script))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Thread sampler = null;
        if (probe != null) {
            sampler = new Thread(() -> {
                while (shell.isAlive()) {
                    if (probe.workerPid < 0) {
                        // The worker JVM by its main class: the launcher's own helpers (find, stat) come first.
                        shell.descendants().filter(ShellBench::isWorker).findFirst()
                                .ifPresent(worker -> probe.workerPid = worker.pid());
                    }
                    probe.sample();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }
        List<String> tail = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (probe != null && line.startsWith("unloaded leaky")) {
                    if (probe.unloads.incrementAndGet() == SETTLED_CYCLES) {
                        probe.sample();
                    }
                }
                tail.add(line);
                if (tail.size() > 20) {
                    tail.remove(0);
                }
            }
        }
        int status = shell.waitFor();
        double millis = (System.nanoTime() - start) / 1e6;
        if (sampler != null) {
            sampler.join();
        }
        if (status != 0) {
            throw new IllegalStateException(script.getFileName() + " exited with " + status + ":\n"
                    + String.join("\n", tail));
        }
        if (probe != null && (probe.unloads.get() != CYCLES || probe.settledKib.get() < 0)) {
            throw new IllegalStateException("saw " + probe.unloads.get() + " unloads of " + CYCLES
                    + " and no resident set of the worker");
        }
        return new Run(millis, childrenCpuMillis() - cpuBefore, Optional.ofNullable(probe));
    }

    /**
     * The launcher as a user runs it ({@code -Drelib.launcher}: its JVM settings and class-data
     * archive are part of what is measured), else {@code java -jar} with the JVM's defaults.
     */
    private static List<String> shellCommand(Path jar, Path script) {
        String launcher = System.getProperty("relib.launcher");
        if (launcher != null) {
            return List.of(launcher, script.toString());
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                script.toString());
    }

    private static boolean isWorker(ProcessHandle process) {
        return process.info().arguments().map(List::of).orElse(List.of()).contains("dev.relib.engine.worker.WorkerMain");
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void report(List<Run> ones, List<Run> fifties, RssProbe rss, Path json) throws IOException {
        double oneMillis = median(ones.stream().map(Run::millis).toList());
        double fiftyMillis = median(fifties.stream().map(Run::millis).toList());
        double oneCpu = median(ones.stream().map(Run::cpuMillis).toList());
        double fiftyCpu = median(fifties.stream().map(Run::cpuMillis).toList());
        double perCommand = (fiftyMillis - oneMillis) / 49;
        boolean scriptOk = fiftyMillis < SCRIPT_GOAL_MILLIS;
        boolean rssOk = rss.growthMib() < RSS_GOAL_MIB;
        System.out.printf(Locale.ROOT, "1-command script:  %8.0f ms, cpu %6.0f ms (shell and worker; medians of %d)%n",
                oneMillis, oneCpu, RUNS);
        System.out.printf(Locale.ROOT, "50-command script: %8.0f ms, cpu %6.0f ms (goal < %.0f ms): %s; %.1f ms per command%n",
                fiftyMillis, fiftyCpu, SCRIPT_GOAL_MILLIS, scriptOk ? "pass" : "MISSED", perCommand);
        System.out.printf(Locale.ROOT, "worker rss after %d cycles %.1f MiB, growth to its peak over %d cycles %.1f MiB "
                + "(goal < %.0f MiB): %s%n", SETTLED_CYCLES, rss.settledMib(), CYCLES, rss.growthMib(), RSS_GOAL_MIB,
                rssOk ? "pass" : "MISSED");
        if (json != null) {
            Files.writeString(json, "[" + Stream.of(
                    entry("script50Commands", fiftyMillis, "ms"),
                    entry("script1Command", oneMillis, "ms"),
                    entry("perCommand", perCommand, "ms"),
                    entry("script50CommandsCpu", fiftyCpu, "ms"),
                    entry("script1CommandCpu", oneCpu, "ms"),
                    entry("workerRssGrowth", rss.growthMib(), "MiB"),
                    entry("workerRssAfter50Cycles", rss.settledMib(), "MiB")).collect(Collectors.joining(",")) + "]\n");
        }
    }

    private static String entry(String name, double score, String unit) {
        return String.format(Locale.ROOT, "{\"benchmark\":\"dev.relib.bench.ShellBench.%s\","
                + "\"primaryMetric\":{\"score\":%.3f,\"scoreError\":0.0,\"scoreUnit\":\"%s\"}}", name, score, unit);
    }
}
