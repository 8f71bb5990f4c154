package dev.relib.shell.command;

import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.RestartReport;
import dev.relib.shell.ExitCode;
import dev.relib.shell.render.Failure;
import dev.relib.shell.render.Output;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "restart",
        description = "Start a new worker process and load again the modules that were loaded, with their signatures.")
public final class RestartCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Override
    public Output run(SessionContext session) {
        RestartReport report = session.engine().restart();
        StringBuilder text = new StringBuilder("started a new worker (pid " + report.workerPid() + ")");
        if (report.reloaded().isEmpty()) {
            text.append("; no modules to load again");
        } else {
            text.append("; loaded again: ").append(report.reloaded().stream()
                    .map(RestartCommand::named).collect(Collectors.joining(", ")));
        }
        for (String failed : report.failed()) {
            text.append("\nnot restored: ").append(failed);
        }
        Output.Builder output = Output.of(report).text(text.toString());
        if (!report.failed().isEmpty()) {
            output.checkFailed(new Failure("restart.incomplete", report.failed().size()
                    + " of the earlier modules or signatures could not be restored (listed above)", ExitCode.FAILED));
        }
        return output.build();
    }

    private static String named(ModuleInfo module) {
        return module.name() + " (#" + module.id() + ")";
    }
}
