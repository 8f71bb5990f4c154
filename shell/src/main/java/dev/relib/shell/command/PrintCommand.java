package dev.relib.shell.command;

import dev.relib.engine.call.DisplayText;
import dev.relib.engine.model.MemoryBytes;
import dev.relib.engine.model.TypedValue;
import dev.relib.shell.UsageException;
import dev.relib.shell.render.Output;
import dev.relib.shell.values.ValueHistory;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "print", aliases = "read",
        description = "Print a value: a kept $N, or TYPE read at an address or symbol (print u32 values.COUNTER); "
                + "a symbol without TYPE is read by its size.")
public final class PrintCommand implements ShellCommand {

    /** Symbol sizes read as an unsigned integer when no type is given. */
    private static final List<String> BY_SIZE = List.of("", "u8", "u16", "", "u32", "", "", "", "u64");
    /** At most this much of a larger symbol is shown as bytes. */
    private static final int BYTES_SHOWN = 256;

    @Mixin
    HelpOption help;

    @Parameters(arity = "1..*", paramLabel = "[TYPE] TARGET",
            description = "TYPE in Rust syntax (u32, *const c_char, f64); TARGET: 0x7f.., $N or [MOD.]SYMBOL, +OFFSET.")
    List<String> words = new ArrayList<>();

    @Override
    public Output run(SessionContext session) {
        String target = words.get(words.size() - 1);
        String type = String.join(" ", words.subList(0, words.size() - 1));
        if (type.isEmpty() && ValueHistory.isReference(target)) {
            ValueHistory.Kept kept = session.values().resolve(target);
            return Output.of(kept).text(kept.name() + " = " + kept.display() + "  (" + kept.type() + ")").build();
        }
        MemoryTargets.Located located = MemoryTargets.resolve(target, session);
        if (type.isEmpty()) {
            if (located.symbol() == null) {
                throw new UsageException("print: give the type to read at an address, e.g. print u32 " + target);
            }
            long size = located.size();
            if (size > 0 && size < BY_SIZE.size() && !BY_SIZE.get((int) size).isEmpty()) {
                type = BY_SIZE.get((int) size);
            } else {
                return bytes(session, located, size);
            }
        }
        TypedValue value = session.engine().readValue(type, located.address());
        return kept(session, value, located, "print " + String.join(" ", words));
    }

    private static Output bytes(SessionContext session, MemoryTargets.Located located, long size) {
        if (size == 0) {
            throw new UsageException("print: " + located.symbol() + " has no size in the symbol table; give a type, "
                    + "e.g. print u64 " + located.symbol());
        }
        int shown = (int) Math.min(size, BYTES_SHOWN);
        MemoryBytes read = session.engine().readMemory(located.address(), shown);
        String hex = DisplayText.hex(read.bytes());
        String display = DisplayText.byteString(read.bytes()) + (shown < size ? " ... (first " + shown + " of " + size + " bytes)" : "");
        ValueHistory.Kept kept = session.values().keep("[u8; " + size + "]", "hex:" + hex, display, "print " + located.symbol());
        return Output.of(kept).text(kept.name() + " = " + display + "  (" + size + " bytes at "
                + ModuleDescriptions.hex(located.address()) + " <" + located.symbol() + ">)").build();
    }

    static Output kept(SessionContext session, TypedValue value, MemoryTargets.Located located, String origin) {
        ValueHistory.Kept kept = session.values().keep(value.type(), value.value(), value.display(), origin);
        String where = ModuleDescriptions.hex(value.address()) + (located.symbol() == null ? "" : " <" + located.symbol() + ">");
        return Output.of(new KeptValue(kept.name(), value)).text(kept.name() + " = " + value.display() + "  ("
                + value.type() + " at " + where + ")").build();
    }

    /** JSON: the value read and the name it is kept under. */
    record KeptValue(String name, TypedValue read) {
    }
}
