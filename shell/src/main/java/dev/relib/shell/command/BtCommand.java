package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.model.CrashReport;
import dev.relib.engine.model.PanicRecord;
import dev.relib.inspectors.crash.CrashBacktrace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.shell.CommandFailedException;
import dev.relib.shell.CrashMessages;
import dev.relib.shell.ExitCode;
import dev.relib.shell.render.Output;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bt", description = "The backtrace of the last panic (or of panic N, as numbered by panics): "
        + "module, function and file:line for each native frame, inlined frames marked [inlined], then the engine "
        + "thread's Java frames. After the worker crashed: the crashing thread's backtrace, until restart.")
public final class BtCommand implements ShellCommand {

    /** What bt shows: the panic and its symbolized frames. */
    public record Backtrace(int index, PanicRecord panic, List<Frame> frames) {
    }

    /** What bt shows after the worker crashed: the crash and the crashing thread's frames. */
    public record CrashBacktraceView(String request, String signal, String cause, String module, List<Frame> frames) {
    }

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "N", description = "The panic's number in panics; "
            + "the last one when left out.")
    Integer number;

    @Option(names = "--all-frames", description = "Also show the panic machinery at the top and the JVM's native "
            + "frames at the bottom.")
    boolean allFrames;

    @Override
    public Output run(SessionContext session) {
        Engine engine = session.engine();
        Optional<CrashReport> crash = engine.lastCrash();
        if (crash.isPresent() && number == null) {
            return crashBacktrace(session, crash.get());
        }
        List<PanicRecord> panics = engine.panics(null);
        if (panics.isEmpty()) {
            throw new CommandFailedException("bt.no_panic", "no panic recorded; SDK modules record the panics "
                    + "they catch (a plain module's panic aborts the worker instead)", ExitCode.FAILED);
        }
        int index = number == null ? panics.size() : number;
        if (index < 1 || index > panics.size()) {
            throw new CommandFailedException("bt.no_such_panic", "there is no panic " + index + "; panics lists 1 to "
                    + panics.size(), ExitCode.FAILED);
        }
        PanicRecord panic = panics.get(index - 1);
        List<Frame> frames = PanicView.frames(panic, session.symbols().symbolizer());
        return Output.of(new Backtrace(index, panic, frames))
                .text(PanicView.describe(index, panic, frames, allFrames)).build();
    }

    private static Output crashBacktrace(SessionContext session, CrashReport report) {
        CrashBacktrace backtrace = session.symbols().crash(report).orElseThrow(() -> new CommandFailedException(
                "bt.no_native_stack", "the worker died (" + report.cause() + ") without leaving a native stack "
                + "(no fatal signal); 'restart' starts a new worker with the same modules", ExitCode.FAILED));
        return Output.of(new CrashBacktraceView(report.request(), report.signal(), report.cause(), backtrace.module(),
                backtrace.frames())).text(CrashMessages.backtrace(report, backtrace)).build();
    }
}
