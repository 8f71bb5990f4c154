package dev.relib.shell.command;

import dev.relib.engine.model.ReloadChanges;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.UnloadReport;
import dev.relib.shell.ExitCode;
import dev.relib.shell.render.Failure;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;

/**
 * How a reload report reads, for {@code reload}, {@code watch} and a lazy reload before a call:
 * the outcome, what changed between the generations, and the retired generation's unload report.
 * A failed reload (the new file could not be loaded or validated) exits 1; a refused one (the old
 * generation cannot be unloaded, or {@code --strict} saw a changed signature) is a failed check, 3.
 */
public final class ReloadReportView {

    private ReloadReportView() {
    }

    /** The whole report: outcome, changes, the retired generation's steps and leaks, and the failure if any. */
    public static Output full(ReloadReport report) {
        Output.Builder output = Output.of(report).text(outcomeLine(report));
        if (report.changes() != null) {
            output.text(String.join("\n", changeLines(report.changes())));
        }
        if (report.retired() != null) {
            output.text(report.retired().outcome() == UnloadReport.Outcome.REFUSED
                    ? "generation " + report.fromGeneration() + " refused to unload:"
                    : "retired generation " + report.fromGeneration() + ":");
            UnloadReportView.addTo(output, report.retired(),
                    report.module() + " generation " + report.fromGeneration());
        }
        if (report.outcome() == ReloadReport.Outcome.KEPT_BOTH) {
            output.warning(report.reason());
        }
        Failure failure = failure(report);
        return failure == null ? output.build() : output.checkFailed(failure).build();
    }

    /** One line: the outcome and the export changes, or why the old generation kept running. */
    public static String brief(ReloadReport report) {
        StringBuilder line = new StringBuilder(outcomeLine(report));
        ReloadChanges changes = report.changes();
        if (report.reloaded() && changes != null) {
            List<String> parts = new ArrayList<>();
            changes.exportsAdded().forEach(s -> parts.add("+" + s));
            changes.exportsRemoved().forEach(s -> parts.add("-" + s));
            changes.signaturesChanged().forEach(c -> parts.add("~" + c.symbol()));
            if (changes.sameContent()) {
                parts.add("same content");
            }
            if (!parts.isEmpty()) {
                line.append(" (").append(String.join(", ", parts)).append(')');
            }
        }
        if (report.reason() != null) {
            line.append(": ").append(report.reason());
        }
        return line.toString();
    }

    /** The failure a script sees, or null when a generation of the new file runs. */
    public static Failure failure(ReloadReport report) {
        return switch (report.outcome()) {
            case RELOADED, KEPT_BOTH -> null;
            case FAILED -> new Failure("reload.failed", "reload of " + report.module() + " failed: "
                    + report.reason(), ExitCode.FAILED);
            case REFUSED -> new Failure("reload.refused", "reload of " + report.module() + " refused: "
                    + report.reason(), ExitCode.CHECK_FAILED);
        };
    }

    private static String outcomeLine(ReloadReport report) {
        return switch (report.outcome()) {
            case RELOADED -> "reloaded " + report.module() + ": generation " + report.fromGeneration() + " -> "
                    + report.toGeneration();
            case KEPT_BOTH -> "reloaded " + report.module() + ": generation " + report.fromGeneration() + " -> "
                    + report.toGeneration() + "; generation " + report.fromGeneration() + " keeps running as "
                    + report.keptAs();
            case FAILED -> "reload of " + report.module() + " failed: generation " + report.fromGeneration()
                    + " keeps running";
            case REFUSED -> "reload of " + report.module() + " refused: generation " + report.fromGeneration()
                    + " keeps running";
        };
    }

    private static List<String> changeLines(ReloadChanges changes) {
        List<String> lines = new ArrayList<>();
        lines.add("exports added:     " + listOrNone(changes.exportsAdded()));
        lines.add("exports removed:   " + listOrNone(changes.exportsRemoved()));
        if (changes.signaturesChanged().isEmpty()) {
            lines.add("signature changed: none");
        } else {
            lines.add("signature changed:");
            changes.signaturesChanged().forEach(c -> lines.add("   " + c.symbol() + ": " + c.before() + "  ->  "
                    + c.after()));
        }
        if (changes.sameContent()) {
            lines.add("file:              same content (" + Quantities.bytes(changes.newSize()) + ")");
        } else {
            lines.add("file size:         " + Quantities.bytes(changes.oldSize()) + " -> "
                    + Quantities.bytes(changes.newSize()));
            lines.add("build id:          " + orNone(changes.oldBuildId()) + " -> " + orNone(changes.newBuildId()));
        }
        return lines;
    }

    private static String listOrNone(List<String> symbols) {
        return symbols.isEmpty() ? "none" : String.join(", ", symbols);
    }

    private static String orNone(String buildId) {
        return buildId == null ? "(none)" : buildId;
    }
}
