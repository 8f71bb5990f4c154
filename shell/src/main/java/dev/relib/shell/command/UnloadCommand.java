package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.model.LeakKind;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.inspectors.allocations.AllocationSites;
import dev.relib.inspectors.allocations.LeakSuppressions;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.shell.ExitCode;
import dev.relib.shell.UsageException;
import dev.relib.shell.parse.PathConverter;
import dev.relib.shell.render.Failure;
import dev.relib.shell.render.Output;
import java.nio.file.Path;
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

    @Option(names = "--strict", arity = "0..1", paramLabel = "all", fallbackValue = "lost",
            description = "Definitely or indirectly lost blocks and leaked mappings fail the unload check (exit code 3 "
                    + "in scripts); possibly lost and still reachable ones (a static's cache, std's stdout buffer) "
                    + "only warn. --strict=all: a live block of any kind fails.")
    String strict;

    @Option(names = "--suppress", paramLabel = "FILE", converter = PathConverter.class,
            description = "Leave leak groups whose stack matches a line of FILE out of the summary and of --strict "
                    + "(a function, * as wildcard, or FILE:LINE; # comments); counts what each line hid.")
    Path suppress;

    @Option(names = "--stacks", description = "Show each leak group's allocation stack (needs load --stacks).")
    boolean stacks;

    @Override
    public Output run(SessionContext session) {
        if (strict != null && !"all".equals(strict) && !"lost".equals(strict)) {
            if (module.module != null) {
                throw new UsageException("--strict takes no value or =all, not '" + strict + "'");
            }
            module.module = strict; // "unload --strict NAME": the optional value was the module
            strict = "lost";
        }
        boolean strictAll = "all".equals(strict);
        LeakSuppressions suppressions = SuppressionsFile.read(suppress);
        Engine engine = session.engine();
        AllocationSites sites = sitesBeforeUnload(session);
        UnloadReport report = engine.unload(new UnloadRequest(module.ref(), keepLeaks, strict != null, strictAll));
        if (report.outcome() != UnloadReport.Outcome.REFUSED) {
            session.watches().stop(report.module());
        }
        Output.Builder output = Output.of(report);
        UnloadReportView.addTo(output, report, report.module(), sites, suppressions, stacks);
        boolean failed = report.checkFailed() && !onlySuppressedLeaksFailed(report, sites, suppressions, strictAll);
        if (!failed) {
            return output.text("unloaded " + report.module() + "; final check passed").build();
        }
        return output.checkFailed(failure(report)).build();
    }

    /**
     * The module's stacks are symbolized in the address space it had: read it while the module is
     * still mapped. Null for a module loaded without {@code --stacks}, where no stack can have been
     * recorded (the address space of a worker is tens of kilobytes on the wire), and without asking
     * the worker at all until the session loaded a module with stacks (a round trip per unload).
     */
    private AllocationSites sitesBeforeUnload(SessionContext session) {
        if (!session.mayHaveStacks()) {
            return null;
        }
        ModuleInfo info;
        try {
            info = session.engine().info(module.ref());
        } catch (RuntimeException e) {
            return null; // the unload itself reports the unknown module
        }
        if (!info.tracked() || !info.stacks()) {
            return null;
        }
        return new AllocationSites(session.symbols().symbolizer(), AddressSpace.of(session.engine().addressSpace()),
                info.loadedFrom().toString());
    }

    /** Whether free_leaks is the one failed step and every block that failed it was suppressed. */
    private static boolean onlySuppressedLeaksFailed(UnloadReport report, AllocationSites sites,
                                                     LeakSuppressions suppressions, boolean strictAll) {
        if (suppressions.isEmpty() || report.leaks() == null || report.outcome() != UnloadReport.Outcome.UNLOADED) {
            return false;
        }
        boolean othersFailed = report.steps().stream()
                .anyMatch(s -> s.outcome() == UnloadStep.Outcome.FAILED && !s.name().equals("free_leaks"));
        if (othersFailed) {
            return false;
        }
        LeakReportView.Report view = UnloadReportView.leakReport(report.module(), report.leaks(), sites, suppressions);
        return view.failing((LeakKind kind) -> strictAll || kind.lost()) == 0;
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
