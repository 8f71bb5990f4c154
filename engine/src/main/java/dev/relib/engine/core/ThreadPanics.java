package dev.relib.engine.core;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.relib.call.PanicOutput;
import dev.relib.engine.sdk.PanicLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Panics that std's default hook printed to a relib or plain Rust module's stderr, read from what
 * the agent keeps of it (its newest 16 KiB). Read lazily, when someone asks (panics, a call that
 * panicked, unload, reload), never per call or per line, so a module that prints a lot pays nothing.
 * SDK modules are not read: their hook records every panic, on any thread, and prints none.
 * Owner thread only.
 */
final class ThreadPanics {

    private final Supplier<Agent> agent;
    private final PanicLog log;
    /** Per agent id (one per generation): the stderr offset read up to, always just past a newline. */
    private final Map<Integer, Long> readUpTo = new HashMap<>();

    ThreadPanics(Supplier<Agent> agent, PanicLog log) {
        this.agent = agent;
        this.log = log;
    }

    /**
     * Starts reading a just-attached module's stderr from what its agent slot has already seen: the
     * agent reuses slots, and an earlier module's bytes there are not this one's.
     */
    void begin(int trackingId) {
        try {
            readUpTo.put(trackingId, agent.get().stderrWritten(trackingId));
        } catch (EngineException e) {
            readUpTo.put(trackingId, 0L);
        }
    }

    /** Whether the module's stderr is read here: kept by the agent (tracked) and not an SDK module. */
    static boolean applies(LoadedModule module) {
        return module.request().tracked() && module.sdk().isEmpty();
    }

    /** Logs, as module-thread panics, every panic the module printed since the last look. */
    void collect(LoadedModule module) {
        for (PanicOutput panic : take(module)) {
            log.add(record(module, panic, null));
        }
    }

    /**
     * The panics printed since the last look, oldest first, each whole (up to the last complete line).
     * Empty when the module's stderr is not kept.
     */
    List<PanicOutput> take(LoadedModule module) {
        if (!applies(module)) {
            return List.of();
        }
        long from = readUpTo.getOrDefault(module.trackingId(), 0L);
        byte[] bytes;
        try {
            bytes = agent.get().stderrBytesSince(module.trackingId(), from);
        } catch (EngineException e) {
            return List.of();
        }
        int complete = lastNewline(bytes) + 1;
        if (complete == 0) {
            return List.of();
        }
        long end = bytes.length < Agent.STDERR_KEPT
                ? from + complete
                : agent.get().stderrWritten(module.trackingId()); // some were dropped: go on from the newest
        readUpTo.put(module.trackingId(), end);
        return PanicOutput.allIn(new String(bytes, 0, complete, StandardCharsets.UTF_8));
    }

    /** Forgets a generation's offset once it is unloaded. */
    void forget(LoadedModule module) {
        readUpTo.remove(module.trackingId());
    }

    /** @param export the export whose call panicked, or null for a thread the module started */
    PanicRecord record(LoadedModule module, PanicOutput panic, String export) {
        long sequence = log.of(module.name()).size() + 1L;
        return new PanicRecord(module.name(), module.generation(), sequence, panic.message(), panic.file(),
                panic.line(), panic.column(), panic.threadId(), panic.thread(), export, List.of(), panic.backtrace(),
                Instant.now(), List.of(), List.of());
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
