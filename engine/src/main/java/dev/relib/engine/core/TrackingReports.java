package dev.relib.engine.core;

import dev.relib.engine.model.RelibAllocationStats;
import dev.relib.engine.model.RelibAllocations;
import dev.relib.engine.relib.RelibSession;
import java.util.Optional;
import dev.relib.engine.agent.Agent;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.AllocationStats;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.MappingReport;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.OpenFd;
import dev.relib.engine.model.OpenFiles;
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
            return new AllocationReport(module.name(), module.id(), false, null, List.of(), false, List.of(),
                    relibAllocations(loaded, List.of()));
        }
        List<LiveBlock> blocks = agent.get().classifiedBlocks(loaded.handle(), loaded.trackingId()).stream()
                .sorted(Comparator.comparingLong(LiveBlock::size).reversed().thenComparingLong(LiveBlock::sequence))
                .toList();
        boolean stacks = loaded.request().stacks();
        List<OpenFd> fds = agent.get().fds(loaded.trackingId());
        List<AllocationStack> live = stacks ? agent.get().stacksOf(loaded.trackingId(), blocks, fds) : List.of();
        return new AllocationReport(module.name(), module.id(), true, agent.get().stats(loaded.trackingId()), blocks,
                stacks, live, relibAllocations(loaded, blocks), fds);
    }

    /** relib's live set beside the agent's blocks, each block counted once (null for other kinds). */
    private static RelibAllocations relibAllocations(LoadedModule loaded, List<LiveBlock> agentBlocks) {
        Optional<RelibSession> relib = loaded.relib();
        Optional<RelibAllocationStats> stats = relib.flatMap(RelibSession::allocationStats);
        if (stats.isEmpty()) {
            return null;
        }
        Set<Long> relibPointers = relib.get().liveAllocations().stream().map(entry -> entry[0])
                .collect(Collectors.toSet());
        long shared = 0;
        long agentOnly = 0;
        long agentOnlyBytes = 0;
        for (LiveBlock block : agentBlocks) {
            if (relibPointers.contains(block.address())) {
                shared++;
            } else {
                agentOnly++;
                agentOnlyBytes += block.size();
            }
        }
        return new RelibAllocations(stats.get(), shared, relibPointers.size() - shared, agentOnly, agentOnlyBytes);
    }

    /** The module's info with the fds and streams it has open now (a tracked module only). */
    ModuleInfo withOpenFiles(LoadedModule loaded) {
        ModuleInfo module = loaded.info();
        if (!module.tracked()) {
            return module;
        }
        AllocationStats stats = agent.get().stats(loaded.trackingId());
        return module.withOpenFiles(new OpenFiles(stats.fdsOpen(), stats.streamsOpen()));
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
