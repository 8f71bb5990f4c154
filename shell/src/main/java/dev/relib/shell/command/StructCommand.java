package dev.relib.shell.command;

import dev.relib.engine.model.StructInfo;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "struct", description = "Declare a #[repr(C)] struct for signatures, by value or behind a pointer: "
        + "struct Point { x: f64, y: f64 }; without one, list the declared structs with their layout.")
public final class StructCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..1", paramLabel = "NAME { FIELD: TYPE, ... }",
            description = "Fields: integers, bool, char, floats, thin pointers, declared structs, arrays [T; N].")
    String declaration;

    @Override
    public Output run(SessionContext session) {
        if (declaration == null) {
            List<StructInfo> all = session.engine().structs();
            if (all.isEmpty()) {
                return Output.of(all).text("no structs declared; declare one with: struct Point { x: f64, y: f64 }").build();
            }
            List<String> lines = new ArrayList<>();
            all.forEach(s -> lines.add(describe(s)));
            return Output.of(all).text(String.join("\n", lines)).build();
        }
        StructInfo declared = session.engine().declareStruct("struct " + declaration);
        return Output.of(declared).text(describe(declared)).build();
    }

    private static String describe(StructInfo struct) {
        StringBuilder out = new StringBuilder(struct.declaration()).append("  (").append(struct.size())
                .append(" bytes, align ").append(struct.align()).append(')');
        for (StructInfo.FieldInfo field : struct.fields()) {
            out.append("\n  ").append(field.offset()).append("  ").append(field.name()).append(": ").append(field.type())
                    .append("  (").append(field.size()).append(" bytes)");
        }
        return out.toString();
    }
}
