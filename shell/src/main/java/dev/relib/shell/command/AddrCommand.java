package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.error.CallError;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.shell.parse.CallTarget;
import dev.relib.shell.render.Output;
import dev.relib.shell.render.SymbolNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "addr", description = "Where an export lives: its address, offset in the module, size, "
        + "and source file:line.")
public final class AddrCommand implements ShellCommand {

    /** What {@code addr} found; {@code source} is the frame of the function's first instruction. */
    public record AddressOf(String module, String symbol, String name, long address, long moduleOffset, long size,
                            Frame source) {
    }

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TARGET", description = "[MOD.]SYMBOL: an export, by its symbol name.")
    String target;

    @Override
    public Output run(SessionContext session) {
        Engine engine = session.engine();
        CallTarget parsed = CallTargets.parse(target, engine);
        ModuleInfo module = engine.info(parsed.module());
        ExportInfo export = engine.exports(parsed.module()).stream()
                .filter(e -> e.symbol().equals(parsed.symbol()) || SymbolNames.display(e.symbol()).equals(parsed.symbol()))
                .findFirst()
                .orElseThrow(() -> new CallError.SymbolNotFound(module.name(), parsed.symbol()));
        Frame source = session.symbols().symbolizer().symbolize(export.address(), AddressSpace.of(engine.addressSpace()));
        long offset = export.address() - module.baseAddress();
        AddressOf found = new AddressOf(module.name(), export.symbol(), SymbolNames.display(export.symbol()),
                export.address(), offset, export.size(), source);
        String where = source.file() == null ? "(no line info)" : "at " + source.file() + ":" + source.line();
        return Output.of(found).text(found.name() + " = " + ModuleDescriptions.hex(found.address()) + " ("
                + module.loadedFrom().getFileName() + "+" + ModuleDescriptions.hex(offset) + ", "
                + Quantities.bytes(found.size()) + ") " + where).build();
    }
}
