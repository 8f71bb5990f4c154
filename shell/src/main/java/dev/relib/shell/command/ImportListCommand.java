package dev.relib.shell.command;

import dev.relib.engine.model.ImportStub;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", description = "The imports the shell provides: built-ins and the stubs defined.")
public final class ImportListCommand implements ShellCommand {

    /** Built into every host: must match dev.relib.engine.sdk.HostImports. */
    private static final List<List<String>> BUILT_INS = List.of(
            List.of("log(u32, &str)", "built-in", "writes to the shell's log (levels 1 error .. 5 trace)"),
            List.of("now_ns() -> u64", "built-in", "a monotonic clock in nanoseconds"));

    @Mixin
    HelpOption help;

    @Override
    public Output run(SessionContext session) {
        List<ImportStub> stubs = session.engine().importStubs();
        List<List<String>> rows = new ArrayList<>(BUILT_INS);
        for (ImportStub stub : stubs) {
            rows.add(List.of(stub.signature(), "stub", stub.fails() ? "fails: " + stub.value() : "returns " + stub.value()));
        }
        return Output.of(Map.of("stubs", stubs)).table(List.of("IMPORT", "KIND", "DOES"), rows).build();
    }
}
