package dev.relib.engine;

import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.CrashReport;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.GenerationReport;
import dev.relib.engine.model.HostBuffer;
import dev.relib.engine.model.MemoryBytes;
import dev.relib.engine.model.SymbolLocation;
import dev.relib.engine.model.TypedValue;
import dev.relib.engine.model.ImportStub;
import dev.relib.engine.model.LoadCheckReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.MappingReport;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.model.RestartReport;
import dev.relib.engine.model.ThreadReport;
import dev.relib.engine.model.UnloadCheckReport;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.process.Mapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the shell and the inspectors may ask of the engine. Every method returns immutable records
 * that hold values only (no handles), so the same contract can be served from another process.
 * Failures are {@link dev.relib.engine.error.EngineException}s: typed, with a stable code.
 */
public interface Engine extends AutoCloseable {

    /** Runs the before-load checks, makes the shadow copy, dlopens and attaches the agent. */
    ModuleInfo load(LoadRequest request);

    /** The before-load checks alone, with unresolvable {@code DT_NEEDED} entries listed. */
    LoadCheckReport checkLoad(Path path);

    /** Loaded modules, in load order. */
    List<ModuleInfo> modules();

    ModuleInfo info(ModuleRef module);

    /** Defined functions of the module, with the signature known for each (manifest or {@code sig}). */
    List<ExportInfo> exports(ModuleRef module);

    /** Remembers a signature for an export so later calls need none; returns the export as now known. */
    ExportInfo rememberSignature(ModuleRef module, String signature);

    CallResult call(CallRequest request);

    /**
     * Panics SDK modules recorded (message, location, thread, raw frames), oldest first; plain
     * modules have none.
     *
     * @param module one module, or null for every loaded module
     */
    List<PanicRecord> panics(ModuleRef module);

    /**
     * Defines a host import for SDK modules loaded from now on: {@code answer() -> u8 = 42}, or
     * {@code answer() -> u8 = fail "MESSAGE"}. Defining a name again replaces it.
     *
     * @throws dev.relib.engine.error.SignatureError when the text is not a usable stub
     */
    ImportStub defineImportStub(String definition);

    /** The stubs defined, in definition order. */
    List<ImportStub> importStubs();

    /** The module's live heap blocks (largest first) and counters, as the agent tracked them. */
    AllocationReport allocations(ModuleRef module);

    /** The threads the module started, running or exited. */
    ThreadReport threads(ModuleRef module);

    /** The segments of the module's file and the mappings it made and has not unmapped. */
    MappingReport mappings(ModuleRef module);

    /**
     * The engine process's mappings now ({@code /proc/PID/maps} of the process the modules live in):
     * what turns an address captured there into an object, a symbol and a line.
     */
    List<Mapping> addressSpace();

    /**
     * Loads the module's file again as its next generation, beside the running one, validates it, and
     * only then retires the old generation through the unload pipeline. A failure keeps the old running.
     */
    ReloadReport reload(ReloadRequest request);

    /** The module's generations: those reloads retired, with what each leaked, and the running one. */
    GenerationReport generations(ModuleRef module);

    /** Runs the unload pipeline. A refusal is a report, not an exception: the module stays usable. */
    UnloadReport unload(UnloadRequest request);

    /** Dry run of {@link #unload}: what the pipeline would meet, changing nothing. */
    UnloadCheckReport checkUnload(ModuleRef module);

    /**
     * Starts a fresh engine process and loads again what was loaded, with its remembered
     * signatures: the way back after a module crashed the worker.
     *
     * @throws dev.relib.engine.error.EngineFailure {@code engine.restart_unavailable} in-process, where a
     *         crash has already ended the whole program
     */
    RestartReport restart();

    /**
     * The crash that ended the engine's process, kept until {@link #restart()}: what {@code bt} and
     * {@code symbol} answer from once the modules' process is gone. Empty while it runs, and always
     * in-process (a crash there ends the shell too).
     */
    default Optional<CrashReport> lastCrash() {
        return Optional.empty();
    }

    /**
     * Gives the next module loaded the id {@code id} (and later ones the ids after it), so that
     * a restarted worker loads each module back under the id it had. Never an id already given.
     */
    default void continueModuleIdsAt(int id) {
        throw new UnsupportedOperationException("this engine keeps its own module ids");
    }

    /**
     * Ends the process that runs the request in progress, from another thread (the user pressed
     * Ctrl-C twice): the request then fails as {@code worker.interrupted} and the engine waits for
     * {@link #restart()}. Returns false where that is not possible: in-process, native code in a
     * call cannot be stopped without ending the whole program.
     */
    default boolean endRunningRequest() {
        return false;
    }

    /**
     * {@code length} bytes at {@code address} in the modules' process, checked page by page by the
     * kernel: an unmapped or unreadable address is {@link dev.relib.engine.error.MemoryError.Unmapped}, never a crash.
     */
    MemoryBytes readMemory(long address, int length);

    /** A value of {@code type} (Rust syntax: {@code u32}, {@code *const c_char}, a declared struct) at {@code address}. */
    TypedValue readValue(String type, long address);

    /** Writes {@code literal} (a call argument's syntax) as {@code type} at {@code address}; returns it read back. */
    TypedValue writeValue(String type, long address, String literal);

    /** The NUL-terminated string at {@code address} (up to 4096 bytes). */
    TypedValue readCString(long address);

    /** A zeroed buffer owned by the session, freed when the engine closes. */
    HostBuffer allocateBuffer(long size);

    List<HostBuffer> buffers();

    HostBuffer freeBuffer(int id);

    /** A module's function or data symbol, by {@code dlsym}, with its size. */
    SymbolLocation locateSymbol(ModuleRef module, String symbol);

    /** Unloads what is still loaded (best effort) and stops the owner thread. */
    @Override
    void close();
}
