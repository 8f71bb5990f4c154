package dev.relib.shell.command;

import dev.relib.engine.error.EngineException;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.shell.UsageException;
import dev.relib.shell.parse.CallTarget;
import dev.relib.shell.parse.DurationConverter;
import dev.relib.shell.render.Output;
import dev.relib.shell.values.ValueHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "call", description = "Call an export by signature, e.g. call count_sheep(u32) -> &str 3.")
public final class CallCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "TARGET",
            description = "[MOD.]SYMBOL[SIGNATURE]: the export, with its Rust signature when none is known yet.")
    String target;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments; quote strings that hold spaces.")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Call N times (arguments converted once) and report the time per call.")
    int repeat;

    @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class,
            description = "End the worker when the call still runs after D (500ms, 2s, 1m); default: set timeout.")
    Duration timeout;

    private CallRequest request(CallTarget call, OutParameters outs, SessionContext session) {
        return new CallRequest(call.module(), call.symbol(), call.signature(), outs.arguments(), repeat,
                timeout != null ? timeout : session.settings().callTimeout());
    }

    @Override
    public Output run(SessionContext session) {
        if (repeat < 1) {
            throw new UsageException("call: --repeat must be at least 1, was " + repeat);
        }
        CallTarget call = CallTargets.parse(target, session.engine());
        OutParameters outs = OutParameters.allocate(session.values().substitute(arguments), session.engine());
        CallResult result;
        List<OutParameters.Filled> filled;
        try {
            try {
                result = session.engine().call(request(call, outs, session));
            } catch (EngineException e) {
                CallTarget exporter = e.code().equals(CallTargets.AMBIGUOUS) && call.module().isImplied()
                        ? CallTargets.withExporter(call, session.engine()) : call;
                if (exporter == call) {
                    throw e;
                }
                result = session.engine().call(request(exporter, outs, session));
            }
            filled = outs.read(session.engine());
        } finally {
            outs.free(session.engine());
        }
        String shown = result.display();
        if (result.repeat() > 1) {
            shown += String.format(Locale.ROOT, "    (%d calls, %.1f ns/call)", result.repeat(), result.nanosPerCall());
        }
        String origin = "call " + target + (arguments.isEmpty() ? "" : " " + String.join(" ", arguments));
        if (!result.returnType().equals("()")) {
            session.values().keep(result.returnType(), result.value(), result.display(), origin);
        }
        Output.Builder output = Output.of(result);
        if (result.reloadedFirst() != null) {
            output.text(ReloadReportView.brief(result.reloadedFirst()));
        }
        output.text(shown);
        for (OutParameters.Filled out : filled) {
            ValueHistory.Kept kept = session.values().keep(out.value().type(), out.value().value(), out.value().display(),
                    origin + " (&out " + (out.argument() + 1) + ")");
            output.text("&out " + out.value().type() + " (argument " + (out.argument() + 1) + "): " + kept.name() + " = "
                    + out.value().display());
        }
        return output.build();
    }
}
