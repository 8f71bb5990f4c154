package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.model.PanicRecord;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
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

    @Option(names = "--all-frames", description = "Also show the SDK's and std's panic machinery at the top "
            + "of each backtrace.")
    boolean allFrames;

    @Override
    public Output run(SessionContext session) {
        Engine engine = session.engine();
        List<PanicRecord> panics = engine.panics(module.ref().isImplied() ? null : module.ref());
        Output.Builder output = Output.of(Map.of("panics", panics));
        if (panics.isEmpty()) {
            return output.text("no panics recorded").build();
        }
        AddressSpace space = AddressSpace.of(engine.addressSpace());
        Symbolizer symbolizer = new Symbolizer();
        List<String> blocks = new ArrayList<>();
        for (PanicRecord panic : panics) {
            blocks.add(describe(panic, symbolizer.symbolize(addresses(panic), space)));
        }
        return output.text(String.join("\n\n", blocks)).build();
    }

    private String describe(PanicRecord panic, List<Frame> frames) {
        StringBuilder text = new StringBuilder();
        text.append(panic.module()).append(" panic #").append(panic.sequence())
                .append(panic.export() == null ? " on a module thread" : " in " + panic.export())
                .append(", thread ").append(panic.thread() == null ? "?" : "'" + panic.thread() + "'")
                .append(" (tid ").append(panic.threadId()).append("), at ").append(panic.capturedAt()).append('\n');
        text.append("  ").append(panic.message().replace("\n", "\n  ")).append('\n');
        text.append("  at ").append(panic.location() == null ? "(no location)" : panic.location());
        List<Frame> shown = allFrames ? frames : withoutPanicMachinery(frames);
        if (!shown.isEmpty()) {
            text.append("\n  backtrace").append(shown.size() < frames.size()
                    ? " (" + (frames.size() - shown.size()) + " panic machinery frames hidden; --all-frames shows them)"
                    : "").append(':');
        }
        for (int i = 0; i < shown.size(); i++) {
            text.append("\n    ").append(String.format("%2d ", i)).append(shown.get(i));
        }
        return text.toString();
    }

    /** Functions of the panic machinery that runs before the module's own frame: the unwinder, std, the SDK hook. */
    private static final List<String> MACHINERY = List.of("_Unwind_", "__rust", "rust_begin_unwind", "std::",
            "core::", "relib_sdk::", "<alloc::boxed::Box");

    /** Drops the leading frames that belong to the panic machinery, so the first one shown is the module's. */
    private static List<Frame> withoutPanicMachinery(List<Frame> frames) {
        int first = 0;
        while (first < frames.size() && isMachinery(frames.get(first))) {
            first++;
        }
        return first == frames.size() ? frames : frames.subList(first, frames.size());
    }

    /** Unnamed frames at the top count too: std's panic functions are often unnamed without debug info. */
    private static boolean isMachinery(Frame frame) {
        String function = frame.function();
        return function == null || MACHINERY.stream().anyMatch(function::startsWith);
    }

    private static long[] addresses(PanicRecord panic) {
        return panic.rawFrames().stream().mapToLong(Long::longValue).toArray();
    }
}
