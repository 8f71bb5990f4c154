package dev.relib.shell.command;

import dev.relib.engine.model.LeakSummary;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.UnloadReport;
import dev.relib.shell.render.Output;
import java.util.List;

/** How an unload report reads: the steps, the leak summary, the threads that stopped it. Shared by unload and reload. */
final class UnloadReportView {

    private UnloadReportView() {
    }

    /** Adds the steps table, the leak summary (when something leaked) and the running threads (when any). */
    static void addTo(Output.Builder output, UnloadReport report, String leakOwner) {
        List<List<String>> rows = report.steps().stream()
                .map(s -> List.of(s.name(), s.outcome().name().toLowerCase(), s.detail() == null ? "" : s.detail()))
                .toList();
        output.table(List.of("STEP", "OUTCOME", "DETAIL"), rows);
        if (report.leaks() != null && report.leaks().leaked()) {
            output.text(leakSummary(leakOwner, report.leaks()));
        }
        if (!report.runningThreads().isEmpty()) {
            output.table(List.of("RUNNING THREAD", "TID", "STARTED"), report.runningThreads().stream()
                    .map(t -> List.of(t.name() == null ? "" : t.name(), Long.toString(t.tid()),
                            Quantities.time(t.startedAt())))
                    .toList());
        }
    }

    /** In valgrind's words: the module is going away, so nothing it held can be freed by it any more. */
    static String leakSummary(String module, LeakSummary leaks) {
        StringBuilder text = new StringBuilder("LEAK SUMMARY for ").append(module).append(":\n")
                .append("   definitely lost: ").append(Quantities.bytes(leaks.bytes())).append(" in ")
                .append(Quantities.count(leaks.blocks(), "block")).append('\n');
        if (leaks.mappings() > 0) {
            text.append("   still mapped:    ").append(Quantities.bytes(leaks.mappingBytes())).append(" in ")
                    .append(Quantities.count(leaks.mappings(), "mapping")).append('\n');
        }
        for (LiveBlock block : leaks.largest()) {
            text.append("     ").append(String.format("%,d", block.size())).append(" bytes at ")
                    .append(ModuleDescriptions.hex(block.address())).append(" (allocation #")
                    .append(block.sequence()).append(")\n");
        }
        if (leaks.blocks() > leaks.largest().size()) {
            text.append("     ... and ").append(Quantities.count(leaks.blocks() - leaks.largest().size(), "smaller block"))
                    .append('\n');
        }
        text.append(leaks.freed() ? "   all of it was freed by relib" : "   kept in memory (--keep-leaks)");
        return text.toString();
    }
}
