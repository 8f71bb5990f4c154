package dev.relib.shell.command;

import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.LeakGroup;
import dev.relib.engine.model.LeakKind;
import dev.relib.inspectors.allocations.AllocationSites;
import dev.relib.inspectors.allocations.LeakSuppressions;
import dev.relib.inspectors.symbols.Frame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A leak report a person can act on, for {@code allocs --leaks} and unload: blocks and bytes per
 * leak kind in valgrind's words, then the blocks grouped by kind and allocation site (by size when
 * no stack was recorded), most bytes first, each as "N blocks of S bytes", with the site's stack
 * under {@code --stacks}; what each suppression hid is counted and left out of the totals.
 */
final class LeakReportView {

    /** One group of blocks, for JSON: {@code size} when all are one size, else {@code minSize}..{@code maxSize}. */
    record Group(LeakKind kind, long blocks, long bytes, long minSize, long maxSize, String function, String file,
                 int line, String caller, List<String> stack, String suppressedBy) {
    }

    /** What one line of the suppressions file hid. */
    record SuppressionCount(int line, String pattern, long blocks, long bytes) {
    }

    /** Per kind, what no suppression hid. */
    record KindAmount(LeakKind kind, long blocks, long bytes) {
    }

    /** The report of one module, as JSON shows it. */
    record Report(String module, List<KindAmount> kinds, long suppressedBlocks, long suppressedBytes,
                  List<Group> groups, List<SuppressionCount> suppressions) {

        /** Blocks no suppression hid of the kinds that fail the check. */
        long failing(java.util.function.Predicate<LeakKind> fails) {
            return kinds.stream().filter(k -> fails.test(k.kind())).mapToLong(KindAmount::blocks).sum();
        }
    }

    private LeakReportView() {
    }

    /**
     * @param sites null when no stack was recorded (groups are then by size only)
     */
    static Report build(String module, List<LeakGroup> groups, IntFunction<Optional<AllocationStack>> stackOf,
                        AllocationSites sites, LeakSuppressions suppressions) {
        Map<String, long[]> merged = new LinkedHashMap<>(); // blocks, bytes, min, max
        Map<String, Group> firsts = new LinkedHashMap<>();
        Map<LeakSuppressions.Suppression, long[]> hidden = new LinkedHashMap<>();
        suppressions.suppressions().forEach(s -> hidden.put(s, new long[2]));
        Map<LeakKind, long[]> totals = new EnumMap<>(LeakKind.class);
        for (LeakKind kind : LeakKind.values()) {
            totals.put(kind, new long[2]);
        }
        for (LeakGroup group : groups) {
            Optional<AllocationStack> stack = sites == null ? Optional.empty() : stackOf.apply(group.stackId());
            List<Frame> frames = stack.map(s -> sites.frames(s)).orElse(List.of());
            Optional<LeakSuppressions.Suppression> suppressedBy = suppressions.match(frames);
            Optional<Frame> site = stack.flatMap(s -> sites.site(s));
            // The site and the module's own callers out from it: two callers of one helper stay apart.
            String key = group.kind() + "\u0000" + suppressedBy.map(s -> "s" + s.line()).orElse("")
                    + (site.isPresent() ? pathKey(sites.moduleFrames(stack.get()))
                    : stack.isPresent() ? "stack " + group.stackId() : "size " + group.size());
            long[] sum = merged.computeIfAbsent(key, k -> new long[]{0, 0, Long.MAX_VALUE, 0});
            sum[0] += group.blocks();
            sum[1] += group.bytes();
            sum[2] = Math.min(sum[2], group.size());
            sum[3] = Math.max(sum[3], group.size());
            firsts.computeIfAbsent(key, k -> new Group(group.kind(), 0, 0, 0, 0,
                    site.map(Frame::function).orElse(null), site.map(Frame::file).orElse(null),
                    site.map(Frame::line).orElse(0), stack.flatMap(s -> caller(sites, s)).orElse(null),
                    stack.map(s -> shortStack(sites, s)).orElse(List.of()),
                    suppressedBy.map(LeakSuppressions.Suppression::pattern).orElse(null)));
            if (suppressedBy.isPresent()) {
                long[] h = hidden.get(suppressedBy.get());
                h[0] += group.blocks();
                h[1] += group.bytes();
            } else {
                long[] t = totals.get(group.kind());
                t[0] += group.blocks();
                t[1] += group.bytes();
            }
        }
        List<Group> lines = new ArrayList<>();
        merged.forEach((key, sum) -> {
            Group g = firsts.get(key);
            lines.add(new Group(g.kind(), sum[0], sum[1], sum[2], sum[3], g.function(), g.file(), g.line(), g.caller(),
                    g.stack(), g.suppressedBy()));
        });
        lines.sort(Comparator.comparingLong(Group::bytes).reversed()
                .thenComparing(Comparator.comparingLong(Group::blocks).reversed()).thenComparing(Group::kind));
        List<KindAmount> kinds = new ArrayList<>();
        totals.forEach((kind, t) -> kinds.add(new KindAmount(kind, t[0], t[1])));
        List<SuppressionCount> counts = new ArrayList<>();
        hidden.forEach((s, h) -> counts.add(new SuppressionCount(s.line(), s.pattern(), h[0], h[1])));
        long suppressedBlocks = counts.stream().mapToLong(SuppressionCount::blocks).sum();
        long suppressedBytes = counts.stream().mapToLong(SuppressionCount::bytes).sum();
        return new Report(module, kinds, suppressedBlocks, suppressedBytes, lines, counts);
    }

    private static String pathKey(List<Frame> frames) {
        StringBuilder key = new StringBuilder();
        for (Frame frame : frames) {
            key.append(frame.file() != null && frame.line() > 0
                    ? frame.function() + "\u0000" + frame.file() + ":" + frame.line() : Long.toString(frame.address()))
                    .append('\u0001');
        }
        return key.toString();
    }

    /** The module's function that called the site's, when the site is a helper of the module's own. */
    private static Optional<String> caller(AllocationSites sites, AllocationStack stack) {
        List<Frame> frames = sites.moduleFrames(stack);
        return frames.size() > 1 && frames.get(1).function() != null ? Optional.of(frames.get(1).function())
                : Optional.empty();
    }

    /** The site and the module's frames out from it, or the whole stack when no frame is the user's. */
    private static List<String> shortStack(AllocationSites sites, AllocationStack stack) {
        List<Frame> frames = sites.moduleFrames(stack);
        if (frames.isEmpty()) {
            frames = sites.frames(stack);
        }
        return frames.stream().map(LeakReportView::describe).toList();
    }

    private static String describe(Frame frame) {
        String name = (frame.function() == null ? "??" : frame.function()) + (frame.inlined() ? " [inlined]" : "");
        return frame.file() == null ? name : name + " (" + frame.file() + (frame.line() > 0 ? ":" + frame.line() : "") + ")";
    }

    /** The summary line names the file only; the stack under --stacks has the whole path. */
    private static String fileName(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }

    /**
     * The human text: the summary by kind, then up to {@code limit} groups, then the suppressions' counts.
     *
     * @param stacks show each group's stack
     */
    static String text(Report report, int limit, boolean stacks, String sitesNote) {
        StringBuilder text = new StringBuilder("LEAK SUMMARY for ").append(report.module()).append(":\n");
        for (KindAmount kind : report.kinds()) {
            text.append(String.format("%18s: ", kind.kind().words())).append(Quantities.bytes(kind.bytes()))
                    .append(" in ").append(Quantities.count(kind.blocks(), "block")).append('\n');
        }
        if (!report.suppressions().isEmpty()) {
            text.append(String.format("%18s: ", "suppressed")).append(Quantities.bytes(report.suppressedBytes()))
                    .append(" in ").append(Quantities.count(report.suppressedBlocks(), "block")).append('\n');
        }
        List<Group> shown = report.groups().stream().filter(g -> g.suppressedBy() == null).toList();
        for (Group group : shown.stream().limit(limit).toList()) {
            text.append("   ").append(groupLine(group)).append('\n');
            if (stacks) {
                for (String frame : group.stack()) {
                    text.append("        ").append(frame).append('\n');
                }
            }
        }
        if (shown.size() > limit) {
            List<Group> rest = shown.subList(limit, shown.size());
            text.append("   ... and ").append(Quantities.count(rest.size(), "more group")).append(" (")
                    .append(Quantities.count(rest.stream().mapToLong(Group::blocks).sum(), "block")).append(", ")
                    .append(Quantities.bytes(rest.stream().mapToLong(Group::bytes).sum())).append(")\n");
        }
        if (sitesNote != null && !shown.isEmpty()) {
            text.append("   ").append(sitesNote).append('\n');
        }
        for (SuppressionCount s : report.suppressions()) {
            text.append("   suppression line ").append(s.line()).append(" '").append(s.pattern()).append("' hid ")
                    .append(Quantities.count(s.blocks(), "block")).append(", ").append(Quantities.bytes(s.bytes()))
                    .append('\n');
        }
        return text.toString().stripTrailing();
    }

    /** "100 blocks of 48 bytes definitely lost at leak_equal_blocks (leakkinds.c:44)". */
    static String groupLine(Group group) {
        String amount = group.minSize() == group.maxSize()
                ? Quantities.count(group.blocks(), "block") + " of " + Quantities.bytes(group.minSize())
                : Quantities.count(group.blocks(), "block") + ", " + Quantities.bytes(group.bytes()) + " ("
                        + String.format("%,d", group.minSize()) + " to " + Quantities.bytes(group.maxSize()) + " each)";
        String where = group.function() == null ? ""
                : " at " + group.function() + (group.file() == null ? ""
                : " (" + fileName(group.file()) + (group.line() > 0 ? ":" + group.line() : "") + ")")
                + (group.caller() == null ? "" : " from " + group.caller());
        return amount + " " + group.kind().words() + where;
    }
}
