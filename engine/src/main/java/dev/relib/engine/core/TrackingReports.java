package dev.relib.engine.core;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.MappingReport;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ThreadReport;
import dev.relib.engine.process.ProcessMaps;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Snapshots of what a module allocated, started and mapped: the records behind allocs, threads, maps. */
final class TrackingReports {

    private final Supplier<Agent> agent;

    TrackingReports(Supplier<Agent> agent) {
        this.agent = agent;
    }

    AllocationReport allocations(LoadedModule loaded) {
        ModuleInfo module = loaded.info();
        if (!module.tracked()) {
            return new AllocationReport(module.name(), module.id(), false, null, List.of());
        }
        List<LiveBlock> blocks = agent.get().classifiedBlocks(loaded.handle(), loaded.trackingId()).stream()
                .sorted(Comparator.comparingLong(LiveBlock::size).reversed().thenComparingLong(LiveBlock::sequence))
                .toList();
        boolean stacks = loaded.request().stacks();
        // Only the stacks some live block still refers to: the table keeps every stack ever seen.
        Set<Integer> used = blocks.stream().map(LiveBlock::stackId).collect(Collectors.toSet());
        List<AllocationStack> live = stacks
                ? agent.get().stacks(loaded.trackingId()).stream().filter(s -> used.contains(s.id())).toList()
                : List.of();
        return new AllocationReport(module.name(), module.id(), true, agent.get().stats(loaded.trackingId()), blocks,
                stacks, live);
    }

    ThreadReport threads(LoadedModule loaded) {
        ModuleInfo module = loaded.info();
        return new ThreadReport(module.name(), module.id(), module.tracked(),
                module.tracked() ? agent.get().threads(loaded.trackingId()) : List.of());
    }

    MappingReport mappings(LoadedModule loaded) {
        ModuleInfo module = loaded.info();
        List<MappingReport.Segment> segments = ProcessMaps.mappingsOf(module.loadedFromIdentity()).stream()
                .map(m -> new MappingReport.Segment(m.start(), m.end(), m.permissions(), m.offset(), m.path()))
                .toList();
        return new MappingReport(module.name(), module.id(), module.tracked(), segments,
                module.tracked() ? agent.get().mappings(loaded.trackingId()) : List.of());
    }
}
