package dev.relib.shell.command;

import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.RelibAllocationStats;
import dev.relib.engine.model.RelibAllocations;
import dev.relib.shell.render.Output;
import java.util.List;

/**
 * {@code allocs} for relib modules: the live set relib's tracker reported (what relib_host holds and
 * its unload frees), beside the agent's table, with each block counted once.
 */
final class RelibAllocationsView {

    private RelibAllocationsView() {
    }

    static void append(Output.Builder output, List<AllocationReport> reports) {
        List<AllocationReport> relib = reports.stream().filter(r -> r.relib() != null).toList();
        if (relib.isEmpty()) {
            return;
        }
        output.text("relib's alloc tracker (the live set relib_host would hold; reported in batches of up to 20,000 ops):");
        output.table(List.of("MODULE", "LIVE BLOCKS", "LIVE BYTES", "ALLOCATIONS", "FREES", "PEAK BYTES", "FLUSHES"),
                relib.stream().map(RelibAllocationsView::row).toList());
        for (AllocationReport report : relib) {
            RelibAllocations r = report.relib();
            output.text(report.module() + ": " + r.shared() + " block" + plural(r.shared()) + " in both; "
                    + r.relibOnly() + " only in relib's set; " + (report.tracked() ? r.agentOnly() + " only the agent "
                    + "sees (" + String.format("%,d", r.agentOnlyBytes()) + " bytes: C heap outside relib's tracker, or "
                    + "not yet flushed; beyond relib_host)" : "the agent is off (loaded --untracked)"));
        }
    }

    private static List<String> row(AllocationReport report) {
        RelibAllocationStats s = report.relib().stats();
        return List.of(report.module(), String.format("%,d", s.liveBlocks()), String.format("%,d", s.liveBytes()),
                String.format("%,d", s.allocations()), String.format("%,d", s.frees()),
                String.format("%,d", s.peakBytes()), String.format("%,d", s.flushes()));
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
