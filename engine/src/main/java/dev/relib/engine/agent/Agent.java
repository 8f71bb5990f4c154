package dev.relib.engine.agent;

import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.AllocationStats;
import dev.relib.engine.model.FreedLeaks;
import dev.relib.engine.model.KeyCleanup;
import dev.relib.engine.model.LeakKind;
import dev.relib.engine.model.LeakedMapping;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.ModuleThread;
import dev.relib.engine.model.OpenFd;
import dev.relib.engine.model.UnmappedMappings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The native agent ({@code librelib_agent.so}): tracks what one dlopen()ed module allocates, which
 * threads it starts, the thread-local destructors and pthread keys it registers, and the mappings
 * it makes, by patching that module's GOT. Modules are named by the caller's id. Failures throw
 * {@link EngineFailure} with an {@code agent.*} code.
 *
 * <p>Call {@link #attach} right after dlopen, before the first call into the module. To unload
 * cleanly, on the thread that loaded the module (relib's owner thread):
 * <ol>
 *   <li>{@link #stats}: refuse while {@code threadsRunning > 0} (a thread counts as finished only
 *       after its key destructors ran); take {@link #blocks}, {@link #threads}, {@link #mappings}
 *       for the report now;</li>
 *   <li>{@link #runTlsDestructors}: the calling thread's thread-local destructors, newest first;</li>
 *   <li>{@link #runKeyDestructorsAndDelete}: the calling thread's key values, then the keys;</li>
 *   <li>{@link #disableTlsDestructors}: those left on other threads must never run;</li>
 *   <li>{@link #freeBlocks} (unless the user keeps the leaks), then {@link #unmapMappings} and {@link #closeFds};</li>
 *   <li>{@link #detach} (restores the GOT), then {@code dlclose}, then {@link #forget};</li>
 *   <li>finally check that the file is no longer in {@code /proc/self/maps}.</li>
 * </ol>
 * An untracked load ({@code load --untracked}) simply never calls {@link #attach}.
 */
public final class Agent {

    private static final int STATS_SIZE = 128;
    private static final int FD_SIZE = 256;
    private static final int BLOCK_SIZE = 40;
    private static final int STACK_SIZE = 8 + 8 * AgentCodes.STACK_DEPTH;
    private static final int THREAD_SIZE = 88;
    private static final int MAPPING_SIZE = 32;
    private static final int MAP_ANONYMOUS = 0x20;
    /** Must match KEPT in hooks_output.c. */
    public static final int STDERR_KEPT = 16384;

    private final AgentFunctions functions;
    private final ScratchBuffer scratch = new ScratchBuffer();

    private Agent(AgentFunctions functions) {
        this.functions = functions;
    }

    /** Loads the agent (see {@link AgentLibrary}) and checks its ABI version. */
    public static Agent load() {
        return new Agent(AgentLibrary.load());
    }

    /**
     * The agent's file as {@link #load} would load it (extracted from the jar when needed), for a
     * process that preloads it: the worker starts with it in {@code LD_PRELOAD}, so the agent is
     * that process's malloc family and sees every free, and loads this same file again by name.
     */
    public static Path libraryPath() {
        return AgentLibrary.locate(System.getProperty(AgentLibrary.PATH_PROPERTY), AgentLibrary.defaultCacheRoot());
    }

    public int abiVersion() {
        return functions.relib_agent_abi();
    }

    /** Starts tracking the module behind a dlopen handle. */
    public void attach(long dlHandle, int moduleId) {
        attach(dlHandle, moduleId, false);
    }

    /**
     * Starts tracking the module; with {@code stacks}, also records a call stack per allocation
     * (see {@link #stacks}), which makes that module's allocations tens of times slower.
     */
    public void attach(long dlHandle, int moduleId, boolean stacks) {
        check("attach", moduleId, functions.relib_agent_attach_flags(dlHandle, moduleId,
                stacks ? AgentCodes.CAPTURE_STACKS : 0));
    }

    /**
     * Restores the module's GOT; its records stay readable until {@link #forget}.
     *
     * @return false when the module was no longer loaded (it closed its own handle), so nothing
     *         was restored; it counts as detached all the same
     */
    public boolean detach(int moduleId) {
        int result = functions.relib_agent_detach(moduleId);
        if (result == -AgentCodes.E_GONE) {
            return false;
        }
        check("detach", moduleId, result);
        return true;
    }

    public AllocationStats stats(int moduleId) {
        ByteBuffer b = scratch.zeroed(STATS_SIZE);
        check("stats", moduleId, functions.relib_agent_stats(moduleId, b));
        return new AllocationStats(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32),
                b.getLong(40), b.getLong(48), b.getLong(56), b.getLong(64), b.getLong(72), b.getLong(80), b.getLong(88),
                b.getLong(96), b.getLong(104) != 0, b.getLong(112), b.getLong(120));
    }

    /** The file descriptors the module opened and has not closed, in number order. */
    public List<OpenFd> fds(int moduleId) {
        return snapshot("fds", moduleId, FD_SIZE, 16, (buf, cap) -> functions.relib_agent_fds(moduleId, buf, cap),
                Agent::decodeFd);
    }

    private static OpenFd decodeFd(ByteBuffer b) {
        int fd = b.getInt();
        int stackId = b.getInt();
        b.position(b.position() + 24); // dev, ino (the agent's identity check), reserved
        String call = cString(b, 16);
        String target = cString(b, 208);
        return new OpenFd(fd, call, target, stackId);
    }

    /**
     * Closes the module's open fds when the agent is the process's allocator (the worker, where
     * every close is seen); in-process it closes none. A FILE's or DIR's fd is left to its stream,
     * which {@link #freeBlocks} closes. Returns how many it closed.
     */
    public int closeFds(int moduleId) {
        return check("close fds", moduleId, functions.relib_agent_close_fds(moduleId));
    }

    /** A NUL-padded C string field of {@code size} bytes, read from the buffer's position. */
    private static String cString(ByteBuffer b, int size) {
        byte[] raw = new byte[size];
        b.get(raw);
        int length = 0;
        while (length < size && raw[length] != 0) {
            length++;
        }
        return new String(raw, 0, length, StandardCharsets.UTF_8);
    }

    /** The module's live blocks, in table order. */
    public List<LiveBlock> blocks(int moduleId) {
        return snapshot("blocks", moduleId, BLOCK_SIZE, 256,
                (buf, cap) -> functions.relib_agent_blocks(moduleId, buf, cap), Agent::decodeBlock);
    }

    /**
     * The module's live blocks, each with its {@link LeakKind} from the agent's pointer scan of the
     * module's writable segments, its TLS blocks and the live blocks (valgrind's leak check, with
     * the module's memory as the roots). Call on the thread that loaded the module: its TLS is the
     * calling thread's.
     */
    public List<LiveBlock> classifiedBlocks(long dlHandle, int moduleId) {
        long cap = 256;
        for (;;) {
            int blocksSize = Math.toIntExact(cap * BLOCK_SIZE);
            ByteBuffer buf = scratch.ofSize(Math.toIntExact(blocksSize + cap));
            long total = functions.relib_agent_blocks(moduleId, buf, cap);
            check("blocks", moduleId, total);
            if (total <= cap) {
                int count = (int) total;
                ByteBuffer kinds = buf.slice(blocksSize, Math.max(count, 1));
                check("leak scan", moduleId, functions.relib_agent_leak_scan(dlHandle, moduleId, buf, count, kinds));
                List<LiveBlock> out = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    buf.position(i * BLOCK_SIZE);
                    out.add(decodeBlock(buf).withKind(LeakKind.ofCode(kinds.get(i))));
                }
                return List.copyOf(out);
            }
            cap = total + total / 4 + 16;
        }
    }

    private static LiveBlock decodeBlock(ByteBuffer b) {
        long address = b.getLong();
        long size = b.getLong();
        long align = b.getLong();
        return new LiveBlock(address, size, align == 0 ? LiveBlock.MALLOC_ALIGNMENT : align, b.getLong(), b.getInt());
    }

    /**
     * The recorded stacks these live blocks and open fds name, in id order: the table keeps every
     * stack ever seen. None, and no read of the table, when none of them has a captured stack.
     */
    public List<AllocationStack> stacksOf(int moduleId, List<LiveBlock> blocks, List<OpenFd> fds) {
        Set<Integer> used = new HashSet<>();
        blocks.forEach(block -> used.add(block.stackId()));
        fds.forEach(fd -> used.add(fd.stackId()));
        used.remove(0);
        return used.isEmpty() ? List.of() : stacks(moduleId).stream().filter(s -> used.contains(s.id())).toList();
    }

    /**
     * Every distinct call stack recorded for the module (attached with stacks), in id order; a
     * block's {@link LiveBlock#stackId()} names one of them.
     */
    public List<AllocationStack> stacks(int moduleId) {
        return snapshot("stacks", moduleId, STACK_SIZE, 64,
                (buf, cap) -> functions.relib_agent_stacks(moduleId, buf, cap),
                b -> {
                    int id = b.getInt();
                    int depth = b.getInt();
                    List<Long> frames = new ArrayList<>(depth);
                    for (int i = 0; i < depth; i++) {
                        frames.add(b.getLong());
                    }
                    return new AllocationStack(id, frames);
                });
    }

    /** The threads the module started, newest first. */
    public List<ModuleThread> threads(int moduleId) {
        return snapshot("threads", moduleId, THREAD_SIZE, 16,
                (buf, cap) -> functions.relib_agent_threads(moduleId, buf, cap),
                Agent::decodeThread);
    }

    /** The mappings the module made and has not unmapped. */
    public List<LeakedMapping> mappings(int moduleId) {
        return snapshot("mappings", moduleId, MAPPING_SIZE, 16,
                (buf, cap) -> functions.relib_agent_mappings(moduleId, buf, cap),
                b -> {
                    long address = b.getLong();
                    long length = b.getLong();
                    int prot = b.getInt();
                    int flags = b.getInt();
                    b.getLong();
                    return new LeakedMapping(address, length, prot, flags, (flags & MAP_ANONYMOUS) != 0);
                });
    }

    /** Runs the calling thread's thread-local destructors of the module; returns how many ran. */
    public int runTlsDestructors(int moduleId) {
        return check("run thread-local destructors", moduleId, functions.relib_agent_run_tls_destructors(moduleId));
    }

    public KeyCleanup runKeyDestructorsAndDelete(int moduleId) {
        ByteBuffer deleted = scratch.zeroed(4);
        int ran = check("run key destructors", moduleId,
                functions.relib_agent_run_key_destructors_and_delete(moduleId, deleted));
        return new KeyCleanup(ran, deleted.getInt(0));
    }

    /** Disables the module's thread-local destructors left on other threads; returns how many. */
    public int disableTlsDestructors(int moduleId) {
        return check("disable thread-local destructors", moduleId, functions.relib_agent_disable_tls_destructors(moduleId));
    }

    public FreedLeaks freeBlocks(int moduleId) {
        ByteBuffer bytes = scratch.zeroed(8);
        int blocks = check("free blocks", moduleId, functions.relib_agent_free_blocks(moduleId, bytes));
        return new FreedLeaks(blocks, bytes.getLong(0));
    }

    public UnmappedMappings unmapMappings(int moduleId) {
        ByteBuffer bytes = scratch.zeroed(8);
        int mappings = check("unmap mappings", moduleId, functions.relib_agent_unmap_mappings(moduleId, bytes));
        return new UnmappedMappings(mappings, bytes.getLong(0));
    }

    /** What the agent serves relib 0.7 modules: their internal imports, live sets and import stubs. */
    public RelibLiveSets relib() {
        return new RelibLiveSets(functions);
    }

    /** After dlclose: drops the module's records and frees its slot. */
    public void forget(int moduleId) {
        check("forget", moduleId, functions.relib_agent_forget(moduleId));
    }

    private static ModuleThread decodeThread(ByteBuffer b) {
        long tid = b.getLong();
        b.getLong(); // pthread_t: a live handle, not a value worth reporting
        long start = b.getLong();
        long startedNs = b.getLong();
        long exitedNs = b.getLong();
        int state = b.getInt();
        b.getInt();
        String name = cString(b, 16);
        b.getLong(); // start_arg: an address in the module's process, not a value worth reporting
        long boxedDrop = b.getLong();
        long boxedCall = b.getLong();
        return new ModuleThread(tid, start, name, instant(startedNs),
                exitedNs == 0 ? null : instant(exitedNs),
                state == AgentCodes.THREAD_EXITED ? ModuleThread.State.EXITED : ModuleThread.State.RUNNING,
                boxedDrop, boxedCall);
    }

    /** How many bytes the module has written to stderr so far: the mark {@link #stderrBytesSince} reads from. */
    public long stderrWritten(int moduleId) {
        long written = functions.relib_agent_stderr_written(moduleId);
        check("stderr count", moduleId, written);
        return written;
    }

    /**
     * The bytes the module wrote to stderr after {@code mark}, its newest 16 KiB at most; fewer than
     * that means none were dropped, so they end at {@code mark + length}.
     */
    public byte[] stderrBytesSince(int moduleId, long mark) {
        ByteBuffer buf = scratch.ofSize(STDERR_KEPT);
        long copied = functions.relib_agent_stderr_copy(moduleId, mark, buf, STDERR_KEPT);
        check("stderr copy", moduleId, copied);
        byte[] bytes = new byte[(int) copied];
        buf.get(0, bytes);
        return bytes;
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    private interface Fill {
        long fill(ByteBuffer buf, long cap);
    }

    /** One native call fills a direct buffer; retried once larger if the set grew meanwhile. */
    private <T> List<T> snapshot(String what, int moduleId, int recordSize, int firstGuess, Fill fill,
                                 Function<ByteBuffer, T> decode) {
        long cap = firstGuess;
        for (;;) {
            ByteBuffer buf = scratch.ofSize(Math.toIntExact(cap * recordSize));
            long total = fill.fill(buf, cap);
            check(what, moduleId, total);
            if (total <= cap) {
                List<T> out = new ArrayList<>((int) total);
                for (int i = 0; i < total; i++) {
                    buf.position(i * recordSize);
                    out.add(decode.apply(buf));
                }
                return List.copyOf(out);
            }
            cap = total + total / 4 + 16;
        }
    }

    private static int check(String what, int moduleId, long result) {
        if (result < 0) {
            int code = (int) result;
            throw new EngineFailure(AgentCodes.code(code),
                    "agent " + what + " of module #" + moduleId + " failed: " + AgentCodes.explain(code));
        }
        return (int) Math.min(result, Integer.MAX_VALUE);
    }
}
