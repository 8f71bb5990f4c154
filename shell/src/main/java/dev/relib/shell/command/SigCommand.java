package dev.relib.shell.command;

import dev.relib.engine.model.ExportInfo;
import dev.relib.shell.UsageException;
import dev.relib.shell.parse.CallTarget;
import dev.relib.shell.render.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "sig", description = "Remember an export's signature so later calls need none.")
public final class SigCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TARGET",
            description = "[MOD.]NAME(TYPES) -> TYPE, in Rust syntax, e.g. add(i32, i32) -> i32.")
    String target;

    @Override
    public Output run(SessionContext session) {
        CallTarget sig = CallTargets.parse(target, session.engine());
        if (sig.signature() == null) {
            throw new UsageException("sig: give the signature after the name, e.g. sig " + sig.symbol()
                    + "(i32, i32) -> i32");
        }
        ExportInfo export = session.engine().rememberSignature(sig.module(), sig.symbolWithSignature());
        return Output.of(export).text(export.symbol() + ": " + export.signature()).build();
    }
}
