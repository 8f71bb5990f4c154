package dev.relib.shell.command;

import dev.relib.engine.model.MemoryBytes;
import dev.relib.engine.model.TypedValue;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "x", description = "Examine memory as gdb does: x/NFU TARGET, e.g. x/16xb $1, x/4dw values.COUNTER, "
        + "x/s 0x7f12...; an unmapped address is an error, not a crash.")
public final class ExamineCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "/NFU", description = "N units (default 1) of U: b h w g (bytes 1 2 4 8), shown as "
            + "F: x d u o t c a s (default x w).")
    String spec;

    @Parameters(index = "1", paramLabel = "TARGET", description = "0x7f.., $N or [MOD.]SYMBOL, optionally +OFFSET.")
    String target;

    /** JSON: each line's address and its units as shown. */
    public record Line(long address, List<String> units) {
    }

    public record Examined(long address, String format, int unit, List<Line> lines) {
    }

    @Override
    public Output run(SessionContext session) {
        Examine examine = Examine.parse(spec.startsWith("/") ? spec.substring(1) : spec);
        MemoryTargets.Located located = MemoryTargets.resolve(target, session);
        List<Line> lines = new ArrayList<>();
        if (examine.format() == 's') {
            long at = located.address();
            for (int i = 0; i < examine.count(); i++) {
                TypedValue text = session.engine().readCString(at);
                lines.add(new Line(at, List.of(text.display())));
                at += utf8Length(text) + 1;
            }
        } else {
            MemoryBytes read = session.engine().readMemory(located.address(), examine.bytes());
            List<String> units = examine.units(read.bytes());
            for (int i = 0; i < units.size(); i += examine.perLine()) {
                lines.add(new Line(located.address() + (long) i * examine.unit(),
                        units.subList(i, Math.min(units.size(), i + examine.perLine()))));
            }
        }
        StringBuilder text = new StringBuilder();
        for (Line line : lines) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            long offset = line.address() - located.address();
            String label = located.symbol() == null ? "" : " <" + located.symbol() + (offset == 0 ? "" : "+" + offset) + ">";
            text.append(ModuleDescriptions.hex(line.address())).append(label).append(":  ").append(String.join("  ", line.units()));
        }
        return Output.of(new Examined(located.address(), String.valueOf(examine.format()), examine.unit(), lines))
                .text(text.toString()).build();
    }

    private static long utf8Length(TypedValue text) {
        return text.value() == null ? 0 : text.value().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
