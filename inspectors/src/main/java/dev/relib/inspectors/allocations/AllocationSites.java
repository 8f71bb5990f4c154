package dev.relib.inspectors.allocations;

import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.LiveBlock;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.symbols.Symbolizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The call stacks recorded per allocation, read as the user's code: each stack symbolized (at
 * return address - 1, so a frame's line is its call's), inlined frames included, and its site: the
 * first frame, innermost first, in the module's own code by {@link UserCode}'s rule (not std, core,
 * alloc, hashbrown, the SDK runtime, a dependency, libc, libstdc++ or the agent). Sites group live
 * blocks, as heaptrack groups them by allocation point.
 *
 * <p>The API other views call (leak reports group by {@link #site} and {@link #bySite}): one
 * instance per module and address space; it caches each stack's frames, so it is cheap to ask the
 * same stack again.
 */
public final class AllocationSites {

    private final Symbolizer symbolizer;
    private final AddressSpace space;
    private final String moduleFile;
    private final Map<Integer, List<Frame>> framesByStack = new HashMap<>();

    /**
     * @param space      the mappings the stacks were captured in
     * @param moduleFile the file the module was loaded from (its shadow copy, when copied)
     */
    public AllocationSites(Symbolizer symbolizer, AddressSpace space, String moduleFile) {
        this.symbolizer = symbolizer;
        this.space = space;
        this.moduleFile = moduleFile;
    }

    /**
     * One group of live blocks allocated at the same place in the user's code.
     *
     * @param frame the site's frame
     */
    public record Site(Frame frame, long blocks, long bytes) {

        /** What blocks of one site share: the function and file:line, or the address without a line. */
        public String key() {
            return keyOf(frame);
        }
    }

    /**
     * Every frame of the stack, innermost first, inlined levels expanded: from the module's call
     * into the allocator (or the first library frame above the agent) outwards, up to and including
     * the first frame outside the module after its frames (the host's call into it). Frames further
     * out (the JVM) are left out.
     */
    public List<Frame> frames(AllocationStack stack) {
        return framesByStack.computeIfAbsent(stack.id(), id -> symbolize(stack));
    }

    /** The site: the first of {@link #frames} in the user's code; empty when none is. */
    public Optional<Frame> site(AllocationStack stack) {
        return frames(stack).stream().filter(f -> UserCode.isUserFrame(f, moduleFile)).findFirst();
    }

    /** The frames from the site outwards while they are in the module: the user-facing short stack. */
    public List<Frame> moduleFrames(AllocationStack stack) {
        List<Frame> frames = frames(stack);
        int site = siteIndex(frames);
        if (site < 0) {
            return List.of();
        }
        int end = site;
        while (end < frames.size() && moduleFile.equals(frames.get(end).object())) {
            end++;
        }
        return List.copyOf(frames.subList(site, end));
    }

    /** The index of the site in {@link #frames}, or -1. */
    public int siteIndex(List<Frame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (UserCode.isUserFrame(frames.get(i), moduleFile)) {
                return i;
            }
        }
        return -1;
    }

    /** Live blocks grouped by {@link #site}, largest total first; blocks without a site are left out. */
    public List<Site> bySite(AllocationReport report) {
        return bySite(report.blocks(), report::stackOf);
    }

    /**
     * Any blocks (a leak report's, say) grouped by {@link #site}, largest total first; blocks
     * without a recorded stack or a site are left out.
     */
    public List<Site> bySite(Collection<LiveBlock> blocks, Function<LiveBlock, Optional<AllocationStack>> stackOf) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        Map<String, Frame> frames = new HashMap<>();
        for (LiveBlock block : blocks) {
            Optional<Frame> site = stackOf.apply(block).flatMap(this::site);
            if (site.isEmpty()) {
                continue;
            }
            String key = keyOf(site.get());
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
    private static String keyOf(Frame frame) {
        return frame.file() != null && frame.line() > 0
                ? frame.function() + "\u0000" + frame.file() + ":" + frame.line()
                : Long.toString(frame.address());
    }

    private List<Frame> symbolize(AllocationStack stack) {
        List<Frame> all = new ArrayList<>();
        boolean seenModule = false;
        for (long returnAddress : stack.frames()) {
            List<Frame> levels = symbolizer.returnAddressFrames(returnAddress, space);
            boolean inModule = moduleFile.equals(levels.get(0).object());
            if (seenModule && !inModule) {
                all.addAll(levels);
                break;
            }
            seenModule |= inModule;
            all.addAll(levels);
        }
        return List.copyOf(all);
    }
}
