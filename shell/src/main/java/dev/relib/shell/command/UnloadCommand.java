package dev.relib.shell.command;

import dev.relib.engine.model.LeakSummary;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.shell.ExitCode;
import dev.relib.shell.render.Failure;
import dev.relib.shell.render.Output;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "unload", description = "Unload a module with every check: before_unload, threads, TLS destructors, "
        + "leaks, dlclose, final check.")
public final class UnloadCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Option(names = "--keep-leaks", description = "Report the module's live allocations but do not free them.")
    boolean keepLeaks;

    @Option(names = "--strict", description = "Any leak fails the unload check (exit code 3 in scripts).")
    boolean strict;

    @Override
    public Output run(SessionContext session) {
        UnloadReport report = session.engine().unload(new UnloadRequest(module.ref(), keepLeaks, strict));
        List<List<String>> rows = report.steps().stream()
                .map(s -> List.of(s.name(), s.outcome().name().toLowerCase(), s.detail() == null ? "" : s.detail()))
                .toList();
        Output.Builder output = Output.of(report).table(List.of("STEP", "OUTCOME", "DETAIL"), rows);
        if (report.leaks() != null && report.leaks().leaked()) {
            output.text(leakSummary(report.module(), report.leaks()));
        }
        if (!report.runningThreads().isEmpty()) {
            output.table(List.of("RUNNING THREAD", "TID", "STARTED"), report.runningThreads().stream()
                    .map(t -> List.of(t.name() == null ? "" : t.name(), Long.toString(t.tid()),
                            Quantities.time(t.startedAt())))
                    .toList());
        }
        if (!report.checkFailed()) {
            return output.text("unloaded " + report.module() + "; final check passed").build();
        }
        return output.checkFailed(failure(report)).build();
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

    private static Failure failure(UnloadReport report) {
        String failedStep = report.steps().stream()
                .filter(s -> s.outcome() == UnloadStep.Outcome.FAILED)
                .map(s -> s.name() + ": " + s.detail())
                .findFirst().orElse(null);
        return switch (report.outcome()) {
            case REFUSED -> new Failure("unload.refused", report.module() + " was not unloaded"
                    + (failedStep == null ? "" : " (" + failedStep + ")") + "; it stays loaded and usable",
                    ExitCode.CHECK_FAILED);
            case STILL_MAPPED -> new Failure("unload.still_mapped", report.module()
                    + " is still mapped after dlclose" + (report.reasons().isEmpty() ? ""
                    : ": " + String.join("; ", report.reasons())), ExitCode.CHECK_FAILED);
            case UNLOADED -> new Failure("unload.check_failed", report.module() + " was unloaded but a check failed ("
                    + failedStep + ")", ExitCode.CHECK_FAILED);
        };
    }
}
