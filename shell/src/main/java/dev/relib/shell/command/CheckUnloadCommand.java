package dev.relib.shell.command;

import dev.relib.engine.model.UnloadCheckReport;
import dev.relib.shell.ExitCode;
import dev.relib.shell.render.Failure;
import dev.relib.shell.render.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "unload", description = "Dry run of unload: what the pipeline would meet, changing nothing.")
public final class CheckUnloadCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Override
    public Output run(SessionContext session) {
        UnloadCheckReport report = session.engine().checkUnload(module.ref());
        Output.Builder output = Output.of(report);
        if (!report.findings().isEmpty()) {
            output.table(Findings.HEADERS, Findings.rows(report.findings()));
        }
        if (report.wouldUnload()) {
            return output.text("ok: " + report.module() + " would unload").build();
        }
        return output.checkFailed(new Failure("check.unload_blocked", report.module() + " would not unload: "
                + Findings.firstBlocking(report.findings()), ExitCode.CHECK_FAILED)).build();
    }
}
