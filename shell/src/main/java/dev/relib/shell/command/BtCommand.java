package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.model.PanicRecord;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.symbols.Symbolizer;
import dev.relib.shell.ExitCode;
import dev.relib.shell.CommandFailedException;
import dev.relib.shell.render.Output;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bt", description = "The backtrace of the last panic (or of panic N, as numbered by panics): "
        + "module, function and file:line for each native frame, then the engine thread's Java frames.")
public final class BtCommand implements ShellCommand {

    /** What bt shows: the panic and its symbolized frames. */
    public record Backtrace(int index, PanicRecord panic, List<Frame> frames) {
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
        List<Frame> frames = PanicView.frames(panic, new Symbolizer());
        return Output.of(new Backtrace(index, panic, frames))
                .text(PanicView.describe(index, panic, frames, allFrames)).build();
    }
}
