package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.inspectors.crash.CrashBacktrace;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.shell.render.Output;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "symbol", description = "Resolve an address in the modules' process: object, function and offset, "
        + "and file:line when the object has debug info; code inlined there shows each inlined function, innermost "
        + "first, marked [inlined]. After the worker crashed, addresses resolve in the dead worker, until restart.")
public final class SymbolCommand implements ShellCommand {

    /** What {@code symbol} found: every level of code at the address, innermost first. */
    public record Resolved(long address, boolean inDeadWorker, List<Frame> frames) {
    }

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "ADDR", description = "An address: 0x7f12..., or decimal.")
    String address;

    @Override
    public Output run(SessionContext session) {
        long value = Addresses.parse(address);
        Engine engine = session.engine();
        Optional<CrashBacktrace> crash = session.symbols().crashOf(engine);
        AddressSpace space = crash.map(CrashBacktrace::space).orElseGet(() -> AddressSpace.of(engine.addressSpace()));
        List<Frame> frames = session.symbols().symbolizer().frames(value, space);
        String text = frames.stream().map(Frame::toString).collect(Collectors.joining("\n"));
        if (crash.isPresent()) {
            text += "\n(in the dead worker's address space, as it crashed; 'restart' ends this)";
        }
        return Output.of(new Resolved(value, crash.isPresent(), frames)).text(text).build();
    }
}
