package dev.relib.shell.command;

import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.shell.render.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "reload", description = "Reload a module from its file with rollback: the new file is loaded and "
        + "validated beside the running generation, which is retired (full unload) only when the new one is good.")
public final class ReloadCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Option(names = "--strict", description = "Refuse the reload when an export changed its signature (exit code 3).")
    boolean strict;

    @Option(names = "--force", description = "When the running generation cannot be unloaded, keep it running as "
            + "NAME@GEN beside the new one instead of discarding the new one.")
    boolean force;

    @Override
    public Output run(SessionContext session) {
        ReloadReport report = session.engine().reload(new ReloadRequest(module.ref(), strict, force));
        return ReloadReportView.full(report);
    }
}
