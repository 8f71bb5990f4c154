package dev.relib.shell.command;

import dev.relib.engine.model.TypedValue;
import dev.relib.shell.UsageException;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "write", description = "Write VALUE as TYPE at an address or symbol (write u32 values.COUNTER 9), "
        + "then print it read back.")
public final class WriteCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(arity = "3..*", paramLabel = "TYPE TARGET VALUE",
            description = "TYPE in Rust syntax; TARGET: 0x7f.., $N or [MOD.]SYMBOL, +OFFSET; VALUE as a call argument.")
    List<String> words = new ArrayList<>();

    @Override
    public Output run(SessionContext session) {
        if (words.size() < 3) {
            throw new UsageException("write: give TYPE TARGET VALUE, e.g. write u32 values.COUNTER 9");
        }
        String value = session.values().substitute(List.of(words.get(words.size() - 1))).get(0);
        String target = words.get(words.size() - 2);
        String type = String.join(" ", words.subList(0, words.size() - 2));
        MemoryTargets.Located located = MemoryTargets.resolve(target, session);
        TypedValue written = session.engine().writeValue(type, located.address(), value);
        return PrintCommand.kept(session, written, located, "write " + String.join(" ", words));
    }
}
