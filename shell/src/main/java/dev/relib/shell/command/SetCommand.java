package dev.relib.shell.command;

import dev.relib.shell.UsageException;
import dev.relib.shell.parse.DurationConverter;
import dev.relib.shell.render.Block;
import dev.relib.shell.render.Output;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

@Command(name = "set", description = "Show or change session settings: set timeout 500ms, set timeout off, set.",
        footerHeading = "%nSettings:%n",
        footer = {"  timeout D|off       how long a call may run when it has no --timeout (default: off)",
                "  load-timeout D|off  how long a load (constructors, SDK init and main) may run when it has no",
                "                      --timeout (default: 30s); past it the worker is killed (load.timeout)"})
public final class SetCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "OPTION", completionCandidates = SessionSettings.Names.class,
            description = "The setting to show or change: ${COMPLETION-CANDIDATES}. Without one, all are shown.")
    String option;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE",
            description = "The new value; without one, the setting's current value is shown.")
    String value;

    @Override
    public Output run(SessionContext session) {
        SessionSettings settings = session.settings();
        if (option != null && !SessionSettings.NAMES.contains(option)) {
            throw new UsageException("set: no setting '" + option + "'; settings: " + String.join(", ", SessionSettings.NAMES));
        }
        if (value != null && "load-timeout".equals(option)) {
            settings.loadTimeout(timeout(option, value));
        } else if (value != null) {
            settings.callTimeout(timeout(option, value));
        }
        Map<String, String> shown = settings.shown();
        if (option != null) {
            shown = Map.of(option, shown.get(option));
        }
        List<Block.Field> fields = shown.entrySet().stream().map(e -> new Block.Field(e.getKey(), e.getValue())).toList();
        return Output.of(shown).fields(fields).build();
    }

    private static Duration timeout(String option, String value) {
        if (value.equals("off")) {
            return null;
        }
        try {
            Duration timeout = new DurationConverter().convert(value);
            if (timeout.isZero() || timeout.isNegative()) {
                throw new UsageException("set: " + option + " must be longer than 0, or off");
            }
            return timeout;
        } catch (TypeConversionException e) {
            throw new UsageException("set " + option + ": " + e.getMessage() + ", or off");
        }
    }
}
