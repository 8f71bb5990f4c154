package dev.relib.shell.command;

import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.symbols.Symbolizer;
import dev.relib.shell.render.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "symbol", description = "Resolve an address in the modules' process: object, function and offset, "
        + "and file:line when the object has debug info.")
public final class SymbolCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "ADDR", description = "An address: 0x7f12..., or decimal.")
    String address;

    @Override
    public Output run(SessionContext session) {
        long value = Addresses.parse(address);
        Frame frame = new Symbolizer().symbolize(value, AddressSpace.of(session.engine().addressSpace()));
        return Output.of(frame).text(frame.toString()).build();
    }
}
