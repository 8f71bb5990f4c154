package dev.relib.shell.command;

import dev.relib.engine.model.LeakSummary;
import dev.relib.engine.model.UnloadReport;
import dev.relib.inspectors.allocations.AllocationSites;
import dev.relib.inspectors.allocations.LeakSuppressions;
import dev.relib.shell.render.Output;
import java.util.List;

/** How an unload report reads: the steps, the leak summary, the threads that stopped it. Shared by unload and reload. */
final class UnloadReportView {

    private UnloadReportView() {
    }

    /** Adds the steps table, the leak summary (when something leaked) and the running threads (when any). */
    static void addTo(Output.Builder output, UnloadReport report, String leakOwner) {
        addTo(output, report, leakOwner, null, LeakSuppressions.none(), false);
    }

    /**
     * @param sites        the module's allocation sites, read before it was unloaded (null without stacks)
     * @param suppressions what to leave out of the leak summary
     * @param stacks       show each leak group's stack
     */
    static void addTo(Output.Builder output, UnloadReport report, String leakOwner, AllocationSites sites,
                      LeakSuppressions suppressions, boolean stacks) {
        List<List<String>> rows = report.steps().stream()
                .map(s -> List.of(s.name(), s.outcome().name().toLowerCase(), s.detail() == null ? "" : s.detail()))
                .toList();
        output.table(List.of("STEP", "OUTCOME", "DETAIL"), rows);
        if (report.leaks() != null && report.leaks().leaked()) {
            output.text(leakSummary(leakOwner, report.leaks(), sites, suppressions, stacks));
        }
        if (!report.runningThreads().isEmpty()) {
            output.table(List.of("RUNNING THREAD", "TID", "STARTED"), report.runningThreads().stream()
                    .map(t -> List.of(t.name() == null ? "" : t.name(), Long.toString(t.tid()),
                            Quantities.time(t.startedAt())))
                    .toList());
        }
    }

    /** The leak summary of the unloaded module, as {@link LeakReportView} builds it from the engine's groups. */
    static LeakReportView.Report leakReport(String module, LeakSummary leaks, AllocationSites sites,
                                            LeakSuppressions suppressions) {
        return LeakReportView.build(module, leaks.groups(), leaks::stackOf, leaks.stacks().isEmpty() ? null : sites,
                suppressions);
    }

    /** In valgrind's words: the module is going away, so nothing it held can be freed by it any more. */
    static String leakSummary(String module, LeakSummary leaks, AllocationSites sites, LeakSuppressions suppressions,
                              boolean stacks) {
        LeakReportView.Report view = leakReport(module, leaks, sites, suppressions);
        StringBuilder text = new StringBuilder(LeakReportView.text(view, LeakSummary.LARGEST, stacks, null)).append('\n');
        if (leaks.mappings() > 0) {
            text.append("      still mapped: ").append(Quantities.bytes(leaks.mappingBytes())).append(" in ")
                    .append(Quantities.count(leaks.mappings(), "mapping")).append('\n');
        }
        if (!leaks.fds().isEmpty()) {
            text.append("      left open: ").append(Quantities.count(leaks.fds().size(), "file descriptor")).append('\n');
            for (List<String> row : OpenFdsView.rows(leaks.fds(), leaks::stackOf, leaks.stacks().isEmpty() ? null : sites)) {
                text.append("        fd ").append(row.get(0)).append(": ").append(row.get(2)).append(", from ")
                        .append(row.get(1)).append(row.size() > 3 ? " (" + row.get(3) + ")" : "").append('\n');
            }
        }
        text.append(leaks.freed() ? "   all of it was freed by relib" : "   kept in memory (--keep-leaks)");
        return text.toString();
    }
}
