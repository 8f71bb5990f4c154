package dev.relib.shell.command;

import dev.relib.engine.model.ImportStub;
import dev.relib.shell.render.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "stub", description = "Define an import for SDK modules loaded from now on, e.g. "
        + "import stub answer() -> u8 = 42, or = fail \"MESSAGE\" for one that fails in the host.")
public final class ImportStubCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "DEFINITION",
            description = "NAME(TYPES) -> TYPE = VALUE: the import's signature in Rust syntax and what it returns.")
    String definition;

    @Override
    public Output run(SessionContext session) {
        ImportStub stub = session.engine().defineImportStub(definition);
        return Output.of(stub).text("import stub " + stub.definition()
                + " (binds modules loaded from now on)").build();
    }
}
