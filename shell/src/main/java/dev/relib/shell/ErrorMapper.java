package dev.relib.shell;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.error.WorkerCrash;
import dev.relib.engine.model.CrashReport;
import dev.relib.inspectors.crash.CrashBacktrace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.shell.render.Failure;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/** The one place that turns what went wrong into a message and an exit code. */
public final class ErrorMapper {

    /** A crash's JSON error fields: the report's, and its symbolized frames ({@code backtrace}). */
    record CrashDetails(@JsonUnwrapped CrashReport report, List<Frame> backtrace) {
    }

    /** Engine codes ending with this suffix mean the module took its host process down. */
    static final String CRASH_SUFFIX = ".crashed";

    private final SessionSymbols symbols;

    public ErrorMapper() {
        this(new SessionSymbols());
    }

    /** @param symbols symbolizes a crash's frames, and keeps them for bt and symbol */
    public ErrorMapper(SessionSymbols symbols) {
        this.symbols = symbols;
    }

    public Failure map(Exception error) {
        if (error instanceof WorkerCrash crash) {
            Optional<CrashBacktrace> backtrace = symbols.crash(crash.report());
            return new Failure(crash.code(), CrashMessages.describe(crash.report(), backtrace), ExitCode.CRASHED,
                    new CrashDetails(crash.report(), backtrace.map(CrashBacktrace::frames).orElse(List.of())));
        }
        if (error instanceof EngineException engine) {
            int exit = engine.code().endsWith(CRASH_SUFFIX) ? ExitCode.CRASHED : ExitCode.FAILED;
            // The finer code ({@code load.invalid_elf}'s defect) is a field of the JSON error object.
            return new Failure(engine.code(), engine.getMessage(), exit,
                    engine.detail() == null ? null : java.util.Map.of("detail", engine.detail()));
        }
        if (error instanceof CommandFailedException failed) {
            return new Failure(failed.code(), failed.getMessage(), failed.exitCode());
        }
        if (error instanceof UsageException usage) {
            return new Failure("usage", usage.getMessage(), ExitCode.USAGE);
        }
        if (error instanceof CommandLine.ParameterException parameter) {
            String command = parameter.getCommandLine().getCommandSpec().qualifiedName(" ");
            String name = command.startsWith("relib ") ? command.substring("relib ".length()) : command;
            return new Failure("usage", name + ": " + parameter.getMessage() + "; see: " + name + " --help",
                    ExitCode.USAGE);
        }
        String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new Failure("internal", "internal error: " + detail + " (" + error.getClass().getName() + ")",
                ExitCode.FAILED);
    }
}
