package dev.relib.shell.command;

import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.shell.ExitCode;
import dev.relib.shell.render.Failure;
import dev.relib.shell.render.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "unload", description = "Unload a module with every check: before_unload, threads, TLS destructors, "
        + "leaks, dlclose, final check.")
public final class UnloadCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Option(names = "--keep-leaks", description = "Report the module's live allocations but do not free them.")
    boolean keepLeaks;

    @Option(names = "--strict", description = "Any leak fails the unload check (exit code 3 in scripts).")
    boolean strict;

    @Override
    public Output run(SessionContext session) {
        UnloadReport report = session.engine().unload(new UnloadRequest(module.ref(), keepLeaks, strict));
        if (report.outcome() != UnloadReport.Outcome.REFUSED) {
            session.watches().stop(report.module());
        }
        Output.Builder output = Output.of(report);
        UnloadReportView.addTo(output, report, report.module());
        if (!report.checkFailed()) {
            return output.text("unloaded " + report.module() + "; final check passed").build();
        }
        return output.checkFailed(failure(report)).build();
    }

    private static Failure failure(UnloadReport report) {
        String failedStep = report.steps().stream()
                .filter(s -> s.outcome() == UnloadStep.Outcome.FAILED)
                .map(s -> s.name() + ": " + s.detail())
                .findFirst().orElse(null);
        return switch (report.outcome()) {
            case REFUSED -> new Failure("unload.refused", report.module() + " was not unloaded"
                    + (failedStep == null ? "" : " (" + failedStep + ")") + "; it stays loaded and usable",
                    ExitCode.CHECK_FAILED);
            case STILL_MAPPED -> new Failure("unload.still_mapped", report.module()
                    + " is still mapped after dlclose" + (report.reasons().isEmpty() ? ""
                    : ": " + String.join("; ", report.reasons())), ExitCode.CHECK_FAILED);
            case UNLOADED -> new Failure("unload.check_failed", report.module() + " was unloaded but a check failed ("
                    + failedStep + ")", ExitCode.CHECK_FAILED);
        };
    }
}
