package dev.relib.shell.command;

import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.EarlierGenerations;
import dev.relib.engine.model.GenerationReport;
import dev.relib.engine.model.GenerationReport.RetiredGeneration;
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
            boolean anyTracked = earlier.untracked() < earlier.count();
            rows.add(List.of(earlier.first() + "-" + earlier.last(), Quantities.time(earlier.firstLoadedAt()),
                    Quantities.time(earlier.lastRetiredAt()), String.format("%,d earlier", earlier.count()),
                    anyTracked ? String.format("%,d", earlier.leakedBlocks()) : "untracked",
                    anyTracked ? String.format("%,d", earlier.leakedBytes()) : "-"));
        }
        for (RetiredGeneration retired : report.retired()) {
            boolean tracked = retired.leaked() != null;
            rows.add(List.of(Integer.toString(retired.generation()), Quantities.time(retired.loadedAt()),
                    Quantities.time(retired.retiredAt()), retired.outcome().name().toLowerCase(),
                    tracked ? String.format("%,d", retired.leaked().blocks()) : "untracked",
                    tracked ? String.format("%,d", retired.leaked().bytes()) : "-"));
        }
        AllocationReport current = report.current();
        boolean tracked = current != null && current.tracked() && current.stats() != null;
        rows.add(List.of(Integer.toString(report.currentGeneration()), Quantities.time(running.loadedAt()), "-",
                "running",
                tracked ? String.format("%,d live", current.stats().liveBlocks()) : "untracked",
                tracked ? String.format("%,d live", current.stats().liveBytes()) : "-"));
        return rows;
    }
}
