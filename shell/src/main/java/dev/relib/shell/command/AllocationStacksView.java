package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.LiveBlock;
import dev.relib.inspectors.allocations.AllocationSites;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.symbols.Symbolizer;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code allocs --stacks} and {@code allocs --by site}: the recorded call stacks, symbolized. */
final class AllocationStacksView {

    /** One row of {@code allocs --by site}, for JSON. */
    record SiteRow(String module, String function, String file, int line, long blocks, long bytes) {
    }

    private final Engine engine;
    private final Symbolizer symbolizer;
    private AddressSpace space;

    AllocationStacksView(Engine engine, Symbolizer symbolizer) {
        this.engine = engine;
        this.symbolizer = symbolizer;
    }

    static String withoutStacks(AllocationReport report) {
        return report.module() + " was loaded without stacks: unload it and load it again with load --stacks PATH "
                + "to record a call stack per allocation";
    }

    AllocationSites sitesOf(AllocationReport report) {
        if (space == null) {
            space = AddressSpace.of(engine.addressSpace());
        }
        return new AllocationSites(symbolizer, space, engine.info(ModuleRef.id(report.moduleId())).loadedFrom().toString());
    }

    /**
     * Each of the largest blocks with the whole stack it was allocated from, inlined frames included,
     * the site (the first frame in the user's code) marked with {@code =>}.
     */
    void appendStacks(Output.Builder output, AllocationReport report, int limit) {
        if (!report.tracked()) {
            return;
        }
        if (!report.stacksRecorded()) {
            output.text(withoutStacks(report));
            return;
        }
        AllocationSites sites = sitesOf(report);
        List<LiveBlock> shown = report.blocks().stream().limit(limit).toList();
        if (!shown.isEmpty()) {
            output.text("where the largest live blocks of " + report.module() + " were allocated"
                    + " (=> the site: the first frame in the module's own code):");
        }
        for (LiveBlock block : shown) {
            StringBuilder text = new StringBuilder(ModuleDescriptions.hex(block.address()))
                    .append(' ').append(Quantities.count(block.size(), "byte"));
            List<Frame> frames = report.stackOf(block).map(sites::frames).orElse(List.of());
            int site = sites.siteIndex(frames);
            if (site >= 0) {
                text.append(" at ").append(frames.get(site).location());
            }
            if (frames.isEmpty()) {
                text.append("\n    (no stack recorded)");
            }
            for (int i = 0; i < frames.size(); i++) {
                text.append(i == site ? "\n => " : "\n    ").append(describe(frames.get(i)));
            }
            output.text(text.toString());
        }
    }

    Output bySite(List<AllocationReport> reports) {
        List<SiteRow> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (AllocationReport report : reports) {
            if (!report.tracked()) {
                continue;
            }
            if (!report.stacksRecorded()) {
                notes.add(withoutStacks(report));
                continue;
            }
            for (AllocationSites.Site site : sitesOf(report).bySite(report)) {
                Frame f = site.frame();
                rows.add(new SiteRow(report.module(), f.function(), f.file(), f.line(), site.blocks(), site.bytes()));
            }
        }
        Output.Builder output = Output.of(Map.of("sites", rows));
        notes.forEach(output::text);
        if (!rows.isEmpty()) {
            output.table(List.of("MODULE", "BLOCKS", "BYTES", "FUNCTION", "SOURCE"), rows.stream()
                    .map(r -> List.of(r.module(), String.format("%,d", r.blocks()), String.format("%,d", r.bytes()),
                            r.function() == null ? "??" : r.function(), source(r.file(), r.line())))
                    .toList());
        } else if (notes.isEmpty()) {
            output.text("no live block with a recorded stack");
        }
        return output.build();
    }

    /** A frame without its address: "make_record [inlined] at cleak.c:28 (libcleak.so)" for others' objects too. */
    private static String describe(Frame frame) {
        String name = (frame.function() == null ? "??" : frame.function()) + (frame.inlined() ? " [inlined]" : "");
        String object = frame.object() == null ? "unmapped" : java.nio.file.Path.of(frame.object()).getFileName().toString();
        return name + " at " + source(frame.file(), frame.line()) + " (" + object + ")";
    }

    private static String source(String file, int line) {
        if (file == null) {
            return "(no line info)";
        }
        return line > 0 ? file + ":" + line : file;
    }
}
