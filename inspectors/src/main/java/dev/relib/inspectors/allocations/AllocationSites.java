package dev.relib.inspectors.allocations;

import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.LiveBlock;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.symbols.Symbolizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the call stacks recorded per allocation as the module's own code: each stack symbolized
 * (at return address - 1, so a frame's line is its call's), with the allocator plumbing in front
 * (Rust's {@code alloc::}, {@code __rust_alloc}, std's System allocator) and the callers outside the
 * module (the host) left out. Sites group live blocks by their innermost frame in module code, as
 * heaptrack does.
 */
public final class AllocationSites {

    /** Prefixes of demangled names of Rust's allocation path between module code and malloc. */
    private static final List<String> PLUMBING_PREFIXES = List.of(
            "alloc::", "core::alloc::", "std::alloc::", "std::sys::", "core::ptr::", "__rustc::", "__rust_", "__rdl_",
            "__rg_");

    private final Symbolizer symbolizer;
    private final AddressSpace space;
    private final String moduleFile;
    private final Map<Integer, List<Frame>> framesByStack = new HashMap<>();

    /** @param moduleFile the file the module was loaded from (its shadow copy, when copied) */
    public AllocationSites(Symbolizer symbolizer, AddressSpace space, String moduleFile) {
        this.symbolizer = symbolizer;
        this.space = space;
        this.moduleFile = moduleFile;
    }

    /** One group of live blocks allocated at the same place in module code. */
    public record Site(Frame frame, long blocks, long bytes) {
    }

    /**
     * The stack's frames from the first one in the module's own code to the last one in the module;
     * empty when no frame is in module code.
     */
    public List<Frame> moduleFrames(AllocationStack stack) {
        return framesByStack.computeIfAbsent(stack.id(), id -> trim(stack));
    }

    /** The innermost frame in module code. */
    public Optional<Frame> site(AllocationStack stack) {
        return moduleFrames(stack).stream().findFirst();
    }

    /** Live blocks grouped by {@link #site}, largest total first; blocks without a site are left out. */
    public List<Site> bySite(AllocationReport report) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        Map<String, Frame> frames = new HashMap<>();
        for (LiveBlock block : report.blocks()) {
            Optional<Frame> site = report.stackOf(block).flatMap(this::site);
            if (site.isEmpty()) {
                continue;
            }
            String key = siteKey(site.get());
            frames.putIfAbsent(key, site.get());
            long[] sum = totals.computeIfAbsent(key, k -> new long[2]);
            sum[0]++;
            sum[1] += block.size();
        }
        return totals.entrySet().stream()
                .map(e -> new Site(frames.get(e.getKey()), e.getValue()[0], e.getValue()[1]))
                .sorted(Comparator.comparingLong(Site::bytes).reversed().thenComparing(Comparator.comparingLong(Site::blocks).reversed()))
                .toList();
    }

    /** One site per call: the same function and line, whatever the exact return address. */
    private static String siteKey(Frame frame) {
        return frame.file() != null && frame.line() > 0
                ? frame.function() + "\u0000" + frame.file() + ":" + frame.line()
                : Long.toString(frame.address());
    }

    private List<Frame> trim(AllocationStack stack) {
        List<Frame> shown = new ArrayList<>();
        for (long returnAddress : stack.frames()) {
            Frame frame = symbolizer.symbolizeReturnAddress(returnAddress, space);
            boolean inModule = moduleFile.equals(frame.object());
            if (shown.isEmpty()) {
                if (inModule && !isPlumbing(frame.function())) {
                    shown.add(frame);
                }
            } else if (inModule) {
                shown.add(frame);
            } else {
                break;
            }
        }
        return List.copyOf(shown);
    }

    static boolean isPlumbing(String function) {
        if (function == null) {
            return false;
        }
        String name = function.startsWith("<") ? function.substring(1) : function;
        return PLUMBING_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
