package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.AllocationStats;
import dev.relib.engine.model.GenerationReport;
import dev.relib.engine.model.LeakSummary;
import dev.relib.engine.model.LiveBlock;
import dev.relib.inspectors.allocations.AllocationSites;
import dev.relib.inspectors.allocations.LeakSuppressions;
import dev.relib.shell.parse.PathConverter;
import dev.relib.shell.render.Output;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "allocs", description = "What a module has allocated and not freed: live blocks and bytes, "
        + "totals, peak, and the largest blocks. With no MOD, every loaded module.")
public final class AllocsCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10",
            description = "How many of the largest blocks to list (default: ${DEFAULT-VALUE}; 0 lists none).")
    int limit;

    /** What {@code --by} groups the module's allocations by. */
    public enum Grouping { GENERATION, SITE }

    @Option(names = "--by", paramLabel = "GROUPING",
            description = "Group by ${COMPLETION-CANDIDATES}: generation lists each generation (one per reload) "
                    + "with what it leaked when it was retired, the running one last; site groups live blocks by "
                    + "their site: the first frame, inlined ones included, in the user's own code (not std, core, alloc, "
                    + "hashbrown, dependencies, libc, libstdc++, the agent or the SDK runtime; needs load --stacks), "
                    + "largest first.")
    Grouping by;

    @Option(names = "--stacks", description = "Show where each of the largest blocks was allocated: its call stack "
            + "from the allocator call outwards, inlined frames marked [inlined], the site marked => (needs load --stacks).")
    boolean stacks;

    @Option(names = "--leaks", description = "The leak report: live blocks by leak kind in valgrind's words "
            + "(definitely, indirectly, possibly lost, still reachable, from a scan of the module's statics, TLS and "
            + "blocks), grouped by kind and allocation site (by size without load --stacks), largest first.")
    boolean leaks;

    @Option(names = "--suppress", paramLabel = "FILE", converter = PathConverter.class, description = "With --leaks: leave out groups whose stack "
            + "has a frame matching a line of FILE (a function, * as wildcard, or FILE:LINE; # comments), "
            + "and count what each line hid.")
    Path suppress;

    @Override
    public Output run(SessionContext session) {
        Engine engine = session.engine();
        if (by == Grouping.GENERATION) {
            return byGeneration(engine);
        }
        LeakSuppressions suppressions = SuppressionsFile.read(suppress);
        List<AllocationReport> reports = ModuleSelection.reports(engine, module, engine::allocations);
        if (leaks) {
            return leakReports(engine, session, reports, suppressions);
        }
        if (by == Grouping.SITE) {
            return new AllocationStacksView(engine, session.symbols().symbolizer()).bySite(reports);
        }
        Output.Builder output = Output.of(Map.of("modules", reports));
        output.table(List.of("MODULE", "LIVE BLOCKS", "LIVE BYTES", "ALLOCATIONS", "FREES", "PEAK BYTES"),
                reports.stream().map(AllocsCommand::summaryRow).toList());
        RelibAllocationsView.append(output, reports);
        AllocationStacksView stackView = new AllocationStacksView(engine, session.symbols().symbolizer());
        for (AllocationReport report : reports) {
            appendOpenFds(output, report, stackView);
            if (stacks) {
                stackView.appendStacks(output, report, limit);
                continue;
            }
            if (report.tracked() && !report.blocks().isEmpty() && limit > 0) {
                output.text("largest live blocks of " + report.module() + ":");
                output.table(List.of("ADDRESS", "SIZE", "ALIGN", "SEQ", "KIND"), report.blocks().stream().limit(limit)
                        .map(AllocsCommand::blockRow).toList());
                if (report.blocks().size() > limit) {
                    output.text("... and " + Quantities.count(report.blocks().size() - limit, "more block")
                            + " (--limit N lists more)");
                }
            }
        }
        return output.build();
    }

    private Output leakReports(Engine engine, SessionContext session, List<AllocationReport> reports,
                               LeakSuppressions suppressions) {
        AllocationStacksView stackView = new AllocationStacksView(engine, session.symbols().symbolizer());
        List<LeakReportView.Report> views = new java.util.ArrayList<>();
        Output.Builder output = Output.of(Map.of("leaks", views));
        for (AllocationReport report : reports) {
            if (!report.tracked()) {
                output.text(report.module() + " is untracked: no leak report");
                continue;
            }
            AllocationSites sites = report.stacksRecorded() ? stackView.sitesOf(report) : null;
            LeakReportView.Report view = LeakReportView.build(report.module(), LeakSummary.groups(report.blocks()),
                    id -> report.stacks().stream().filter(s -> s.id() == id).findFirst(), sites, suppressions);
            views.add(view);
            output.text(LeakReportView.text(view, limit, stacks && sites != null,
                    sites == null ? "(grouped by size: load --stacks to group by allocation site)" : null));
            appendOpenFds(output, report, stackView);
            if (stacks && sites == null) {
                output.text(AllocationStacksView.withoutStacks(report));
            }
        }
        return output.build();
    }

    /** The fds the module has open, as valgrind --track-fds lists them (nothing when none). */
    private static void appendOpenFds(Output.Builder output, AllocationReport report, AllocationStacksView stackView) {
        if (!report.tracked() || report.fds().isEmpty()) {
            return;
        }
        AllocationSites sites = report.stacksRecorded() ? stackView.sitesOf(report) : null;
        output.text("open file descriptors of " + report.module() + ": "
                + OpenFdsView.count(report.fds().size(), report.stats().streamsOpen()));
        output.table(OpenFdsView.headers(sites != null), OpenFdsView.rows(report.fds(), report::stackOf, sites));
    }

    private Output byGeneration(Engine engine) {
        List<ModuleRef> refs = ModuleSelection.namedOrAll(engine, module);
        List<GenerationReport> reports = refs.stream().map(engine::generations).toList();
        Output.Builder output = Output.of(Map.of("generations", reports));
        for (int i = 0; i < refs.size(); i++) {
            output.text("generations of " + reports.get(i).module() + ":");
            output.table(GenerationsView.HEADERS, GenerationsView.rows(reports.get(i), engine.info(refs.get(i))));
        }
        return output.build();
    }

    private static List<String> summaryRow(AllocationReport report) {
        if (!report.tracked()) {
            return List.of(report.module(), "untracked", "-", "-", "-", "-");
        }
        AllocationStats stats = report.stats();
        return List.of(report.module(), String.format("%,d", stats.liveBlocks()), String.format("%,d", stats.liveBytes()),
                String.format("%,d", stats.totalAllocations()), String.format("%,d", stats.totalFrees()),
                peak(stats));
    }

    /** Exact, or (several threads allocated at once) with the bound the agent guarantees. */
    private static String peak(AllocationStats stats) {
        String peak = String.format("%,d", stats.peakBytes());
        return stats.peakBound() == 0 ? peak : peak + String.format(" \u00b1 %,d", stats.peakBound());
    }

    private static List<String> blockRow(LiveBlock block) {
        return List.of(ModuleDescriptions.hex(block.address()), String.format("%,d", block.size()),
                Long.toString(block.align()), Long.toString(block.sequence()),
                block.kind() == null ? "-" : block.kind().words());
    }
}
