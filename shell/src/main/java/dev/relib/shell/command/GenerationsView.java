package dev.relib.shell.command;

import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.EarlierGenerations;
import dev.relib.engine.model.GenerationReport;
import dev.relib.engine.model.GenerationReport.RetiredGeneration;
import dev.relib.engine.model.LeakSummary;
import dev.relib.engine.model.ModuleInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code allocs --by generation}: one row per generation, what each retired one leaked, the running
 * one last; generations older than the latest hundred retired share one row first.
 */
final class GenerationsView {

    static final List<String> HEADERS =
            List.of("GEN", "LOADED", "RETIRED", "OUTCOME", "LEAKED BLOCKS", "LEAKED BYTES");

    private GenerationsView() {
    }

    static List<List<String>> rows(GenerationReport report, ModuleInfo running) {
        List<List<String>> rows = new ArrayList<>();
        EarlierGenerations earlier = report.earlier();
        if (earlier != null) {
            rows.add(row(earlier.first() + "-" + earlier.last(), Quantities.time(earlier.firstLoadedAt()),
                    Quantities.time(earlier.lastRetiredAt()), String.format("%,d earlier", earlier.count()),
                    earlier.untracked() < earlier.count(), earlier.leakedBlocks(), earlier.leakedBytes(), ""));
        }
        for (RetiredGeneration retired : report.retired()) {
            LeakSummary leaked = retired.leaked();
            rows.add(row(Integer.toString(retired.generation()), Quantities.time(retired.loadedAt()),
                    Quantities.time(retired.retiredAt()), retired.outcome().name().toLowerCase(), leaked != null,
                    leaked == null ? 0 : leaked.blocks(), leaked == null ? 0 : leaked.bytes(), ""));
        }
        AllocationReport current = report.current();
        boolean tracked = current != null && current.tracked() && current.stats() != null;
        rows.add(row(Integer.toString(report.currentGeneration()), Quantities.time(running.loadedAt()), "-",
                "running", tracked, tracked ? current.stats().liveBlocks() : 0,
                tracked ? current.stats().liveBytes() : 0, " live"));
        return rows;
    }

    /** A row whose last two cells are its blocks and bytes ({@code unit} after each), or "untracked" and "-". */
    private static List<String> row(String generation, String loaded, String retired, String outcome, boolean tracked,
                                    long blocks, long bytes, String unit) {
        return List.of(generation, loaded, retired, outcome,
                tracked ? String.format("%,d%s", blocks, unit) : "untracked",
                tracked ? String.format("%,d%s", bytes, unit) : "-");
    }
}
