package dev.relib.shell;

import dev.relib.engine.model.CrashReport;
import dev.relib.shell.render.TerminalText;
import dev.relib.engine.model.NativeCrash;
import dev.relib.inspectors.crash.CrashBacktrace;
import dev.relib.inspectors.symbols.Frame;
import java.util.List;
import java.util.Optional;

/**
 * A worker crash in the user's terms: what died, how, during what, where (the crashing thread's
 * frames, as gdb's backtrace shows them), what it printed last, and what now.
 */
public final class CrashMessages {

    /** The lines were shown as module output as they came; the report repeats only the end. */
    private static final int SHOWN_LINES = 8;
    /** Frames the crash message shows; {@code bt} shows them all. */
    private static final int SHOWN_FRAMES = 16;

    private CrashMessages() {
    }

    static String describe(CrashReport report, Optional<CrashBacktrace> backtrace) {
        StringBuilder text = new StringBuilder("the worker process died");
        if (report.request() != null) {
            text.append(" during '").append(report.request()).append('\'');
        }
        text.append("\n  cause:   ").append(report.cause());
        NativeCrash crash = report.nativeCrash();
        if (report.signal() != null) {
            text.append("\n  signal:  ").append(report.signal());
            if (crash != null && crash.signalName().equals(report.signal())) {
                text.append(", ").append(crash.signalCodeName());
                if (crash.faultAddress() != null) {
                    text.append(", fault address 0x").append(Long.toHexString(crash.faultAddress()));
                }
            }
        } else {
            text.append("\n  exit:    status ").append(report.exitCode());
        }
        if (report.problematicFrame() != null && backtrace.isEmpty()) {
            text.append("\n  frame:   ").append(report.problematicFrame());
        }
        if (report.faultAddress() != null && backtrace.isEmpty()) {
            text.append("\n  address: ").append(report.faultAddress());
        }
        backtrace.ifPresent(bt -> appendBacktrace(text, bt, SHOWN_FRAMES));
        if (!report.lastOutput().isEmpty()) {
            text.append("\n  last lines of the worker's output:");
            List<String> lines = report.lastOutput();
            for (String line : lines.subList(Math.max(0, lines.size() - SHOWN_LINES), lines.size())) {
                text.append("\n    | ").append(TerminalText.escapeControls(line));
            }
        }
        if (backtrace.isPresent()) {
            text.append("\n  until 'restart', bt shows this backtrace and symbol ADDR reads addresses of the dead worker");
        }
        text.append("\n  the shell is still running, with its history; type 'restart' to start a new worker")
                .append(" with the same modules");
        return text.toString();
    }

    /** The crash as {@code bt} shows it after the worker died: every frame. */
    public static String backtrace(CrashReport report, CrashBacktrace backtrace) {
        StringBuilder text = new StringBuilder("[crash] the worker died of ")
                .append(backtrace.crash().signalName())
                .append(report.request() == null ? "" : " during '" + report.request() + "'");
        appendBacktrace(text, backtrace, Integer.MAX_VALUE);
        return text.toString();
    }

    private static void appendBacktrace(StringBuilder text, CrashBacktrace bt, int limit) {
        NativeCrash crash = bt.crash();
        text.append("\n  thread:  ").append(crash.threadName() == null ? "?" : "'" + crash.threadName() + "'")
                .append(crash.threadId() > 0 ? " (tid " + crash.threadId() + ")" : "");
        if (bt.module() != null) {
            text.append("\n  module:  ").append(bt.module());
            if (bt.crashed() != null) {
                text.append(", crashed in ").append(bt.crashed().location());
            }
            if (bt.entry() != null && bt.entry() != bt.crashed()) {
                text.append("\n  entered: ").append(bt.entry().function() == null ? "??" : bt.entry().function())
                        .append(" (called from outside the module)");
            }
        }
        text.append("\n  backtrace (from the ").append(crash.source()).append("), innermost first:");
        List<Frame> frames = bt.frames();
        int shown = Math.min(limit, frames.size());
        for (int i = 0; i < shown; i++) {
            text.append("\n    #").append(String.format("%-3d", i)).append(frames.get(i));
        }
        if (shown < frames.size()) {
            text.append("\n    ... ").append(frames.size() - shown).append(" more frames (bt shows them all)");
        } else if (!crash.complete()) {
            text.append("\n    ... (the walk stopped at a frame without unwind information)");
        }
        if (limit == Integer.MAX_VALUE && !crash.javaFrames().isEmpty()) {
            text.append("\n  Java frames of that thread (from the JVM's log):");
            crash.javaFrames().forEach(frame -> text.append("\n       ").append(frame));
        }
    }
}
