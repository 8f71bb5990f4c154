package dev.relib.shell.command;

import dev.relib.engine.model.LoadCheckReport;
import dev.relib.shell.ExitCode;
import dev.relib.shell.parse.PathConverter;
import dev.relib.shell.render.Block.Field;
import dev.relib.shell.render.Failure;
import dev.relib.shell.render.Output;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "load", description = "The before-load checks alone: ELF, architecture, already mapped, DT_NEEDED.")
public final class CheckLoadCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "PATH", converter = PathConverter.class,
            description = "The shared object to check.")
    Path path;

    @Override
    public Output run(SessionContext session) {
        LoadCheckReport report = session.engine().checkLoad(path);
        Output.Builder output = Output.of(report).fields(List.of(
                new Field("file", String.valueOf(report.path())),
                new Field("rustc", report.rustcVersion() == null ? "-" : report.rustcVersion()),
                new Field("needs", report.needed().isEmpty() ? "-" : String.join(", ", report.needed())),
                new Field("unresolved", report.unresolvedNeeded().isEmpty() ? "-"
                        : String.join(", ", report.unresolvedNeeded()))));
        if (!report.findings().isEmpty()) {
            output.table(Findings.HEADERS, Findings.rows(report.findings()));
        }
        if (report.ok()) {
            return output.text("ok: " + report.path() + " can be loaded").build();
        }
        // Blocking findings name the file already.
        return output.checkFailed(new Failure("check.load_blocked", Findings.firstBlocking(report.findings()),
                ExitCode.CHECK_FAILED)).build();
    }
}
