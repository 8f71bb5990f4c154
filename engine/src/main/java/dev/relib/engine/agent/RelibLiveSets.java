package dev.relib.engine.agent;

import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.model.RelibAllocationStats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The agent's part of relib 0.7's host protocol ({@code relib_imports.c}): the four internal
 * import functions, one live set per relib module id, and the functions that import stubs bind.
 */
public final class RelibLiveSets {

    /** sizeof(relib_agent_relib_stats_t) */
    private static final int STATS_SIZE = 64;
    /** sizeof(relib_agent_relib_allocation_t): relib's Allocation, what the module's exit takes */
    public static final int ALLOCATION_SIZE = 24;

    private final AgentFunctions functions;

    RelibLiveSets(AgentFunctions functions) {
        this.functions = functions;
    }

    /** The addresses of on_alloc, on_cached_allocs, unrecoverable and is_ptr_allocated, in that order. */
    public long[] internalImports() {
        ByteBuffer out = buffer(32);
        functions.relib_agent_relib_imports(out);
        return new long[] {out.getLong(0), out.getLong(8), out.getLong(16), out.getLong(24)};
    }

    /** A new, empty live set; returns its relib module id (process-wide, from 1, never reused). */
    public long register(String name) {
        long id = functions.relib_agent_relib_register(name);
        check("register", 0, id);
        return id;
    }

    public RelibAllocationStats stats(long relibId) {
        ByteBuffer b = buffer(STATS_SIZE);
        check("stats", relibId, functions.relib_agent_relib_stats(relibId, b));
        return new RelibAllocationStats(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32),
                b.getLong(40), b.getLong(48), b.getLong(56));
    }

    /**
     * The live set as relib's {@code Allocation} array ({ptr, size, align}, 24 bytes each), in a
     * direct buffer: what the module's {@code exit} takes. Its limit is a whole number of entries.
     */
    public ByteBuffer allocations(long relibId) {
        long cap = 256;
        for (;;) {
            ByteBuffer buf = buffer(Math.toIntExact(cap * ALLOCATION_SIZE));
            long total = functions.relib_agent_relib_allocations(relibId, buf, cap);
            check("allocations", relibId, total);
            if (total <= cap) {
                buf.limit(Math.toIntExact(total * ALLOCATION_SIZE));
                return buf;
            }
            cap = total + total / 4 + 16;
        }
    }

    public void forget(long relibId) {
        check("forget", relibId, functions.relib_agent_relib_forget(relibId));
    }

    /**
     * A function for an import slot that sets the success flag and returns {@code value}; a failing
     * one ({@code succeeds} false) prints {@code message} first.
     */
    public long bindStub(long value, boolean succeeds, String message) {
        long function = functions.relib_agent_relib_stub_bind(value, (byte) (succeeds ? 1 : 0), message);
        if (function == 0) {
            throw new EngineFailure("agent.relib_stubs_full", "the agent has no free import stub (256 are bound)");
        }
        return function;
    }

    public void releaseStub(long function) {
        functions.relib_agent_relib_stub_release(function);
    }

    /** A post-slot function that frees nothing. */
    public long stubPost() {
        return functions.relib_agent_relib_stub_post();
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocateDirect(Math.max(size, 8)).order(ByteOrder.nativeOrder());
    }

    private static void check(String what, long relibId, long result) {
        if (result < 0) {
            int code = (int) result;
            throw new EngineFailure(AgentCodes.code(code),
                    "agent relib " + what + " of relib module id " + relibId + " failed: " + AgentCodes.explain(code));
        }
    }
}
