package dev.relib.shell;

import dev.relib.engine.model.CrashReport;
import dev.relib.shell.render.TerminalText;
import java.util.List;

/** A worker crash in the user's terms: what died, how, during what, what it printed last, what now. */
final class CrashMessages {

    /** The lines were shown as module output as they came; the report repeats only the end. */
    private static final int SHOWN_LINES = 8;

    private CrashMessages() {
    }

    static String describe(CrashReport report) {
        StringBuilder text = new StringBuilder("the worker process died");
        if (report.request() != null) {
            text.append(" during '").append(report.request()).append('\'');
        }
        text.append("\n  cause:   ").append(report.cause());
        if (report.signal() != null) {
            text.append("\n  signal:  ").append(report.signal());
        } else {
            text.append("\n  exit:    status ").append(report.exitCode());
        }
        if (report.problematicFrame() != null) {
            text.append("\n  frame:   ").append(report.problematicFrame());
        }
        if (report.faultAddress() != null) {
            text.append("\n  address: ").append(report.faultAddress());
        }
        if (!report.lastOutput().isEmpty()) {
            text.append("\n  last lines of the worker's output:");
            List<String> lines = report.lastOutput();
            for (String line : lines.subList(Math.max(0, lines.size() - SHOWN_LINES), lines.size())) {
                text.append("\n    | ").append(TerminalText.escapeControls(line));
            }
        }
        text.append("\n  the shell is still running, with its history; type 'restart' to start a new worker")
                .append(" with the same modules");
        return text.toString();
    }
}
