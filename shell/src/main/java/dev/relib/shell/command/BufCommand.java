package dev.relib.shell.command;

import dev.relib.engine.model.HostBuffer;
import dev.relib.shell.UsageException;
import dev.relib.shell.values.ValueHistory;
import dev.relib.shell.render.Output;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "buf", aliases = "alloc",
        description = "Make a zeroed buffer of N bytes for calls to fill (kept as $N, freed at session end); "
                + "without N, list the buffers.")
public final class BufCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "N", description = "Size in bytes (64, 0x1000, 4_096).")
    String size;

    @Option(names = "--free", paramLabel = "ID", description = "Free buffer ID now instead of at session end.")
    Integer free;

    @Override
    public Output run(SessionContext session) {
        if (free != null) {
            HostBuffer freed = session.engine().freeBuffer(free);
            return Output.of(freed).text("freed buffer #" + freed.id() + " (" + freed.size() + " bytes at "
                    + ModuleDescriptions.hex(freed.address()) + ")").build();
        }
        if (size == null) {
            List<HostBuffer> buffers = session.engine().buffers();
            if (buffers.isEmpty()) {
                return Output.of(buffers).text("no buffers; make one with: buf 64").build();
            }
            List<List<String>> rows = buffers.stream()
                    .map(b -> List.of("#" + b.id(), ModuleDescriptions.hex(b.address()), Long.toString(b.size())))
                    .toList();
            return Output.of(buffers).table(List.of("ID", "ADDRESS", "BYTES"), rows).build();
        }
        long bytes;
        try {
            bytes = Addresses.parse(size);
        } catch (UsageException e) {
            throw new UsageException("buf: '" + size + "' is not a size in bytes; write 64, 0x1000 or 4_096");
        }
        HostBuffer buffer = session.engine().allocateBuffer(bytes);
        ValueHistory.Kept kept = session.values().keep("*mut u8", buffer.address(),
                ModuleDescriptions.hex(buffer.address()), "buf " + size);
        return Output.of(new Kept(kept.name(), buffer)).text(kept.name() + " = " + kept.display() + "  (buffer #"
                + buffer.id() + ", " + buffer.size() + " bytes, zeroed; freed at session end)").build();
    }

    /** JSON: the buffer and the name it is kept under. */
    record Kept(String name, HostBuffer buffer) {
    }
}
