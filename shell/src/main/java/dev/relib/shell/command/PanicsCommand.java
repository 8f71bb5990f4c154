package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.model.PanicRecord;
import dev.relib.inspectors.symbols.Symbolizer;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "panics", description = "Panics SDK modules caught: message, location, thread, export, and the "
        + "backtrace. With no MOD, every loaded module.")
public final class PanicsCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Option(names = "--all-frames", description = "Also show the panic machinery at the top of each backtrace "
            + "and the JVM's native frames at the bottom.")
    boolean allFrames;

    @Override
    public Output run(SessionContext session) {
        Engine engine = session.engine();
        List<PanicRecord> all = engine.panics(null);
        List<PanicRecord> panics = module.ref().isImplied() ? all : engine.panics(module.ref());
        Output.Builder output = Output.of(Map.of("panics", panics));
        if (panics.isEmpty()) {
            return output.text("no panics recorded").build();
        }
        Symbolizer symbolizer = session.symbols().symbolizer();
        List<String> blocks = new ArrayList<>();
        for (PanicRecord panic : panics) {
            blocks.add(PanicView.describe(all.indexOf(panic) + 1, panic, PanicView.frames(panic, symbolizer), allFrames));
        }
        return output.text(String.join("\n\n", blocks)).build();
    }
}
