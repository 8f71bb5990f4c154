package dev.relib.engine;

import dev.relib.engine.core.EngineCore;
import dev.relib.engine.core.ModuleOwnerThread;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.GenerationReport;
import dev.relib.engine.model.HostBuffer;
import dev.relib.engine.model.MemoryBytes;
import dev.relib.engine.model.StructInfo;
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
import dev.relib.engine.process.CStdout;
import dev.relib.engine.process.Mapping;
import dev.relib.engine.process.ProcessMaps;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The engine inside this JVM: every request hops onto the module owner thread, where
 * {@link EngineCore} does the work, unless it comes from that thread ({@link #onOwnerThread}).
 * Used by the worker, tests, benchmarks and {@code relib --in-process}.
 */
public final class InProcessEngine implements Engine {

    private final ModuleOwnerThread owner;
    private final EngineCore core;

    private InProcessEngine(ModuleOwnerThread owner, EngineCore core) {
        this.owner = owner;
        this.core = core;
    }

    public static InProcessEngine start() {
        // Before any module prints: its lines then reach the pipe as printed, in order with stderr's.
        CStdout.lineBuffered();
        ModuleOwnerThread owner = new ModuleOwnerThread();
        return new InProcessEngine(owner, owner.run(EngineCore::new));
    }

    @Override
    public ModuleInfo load(LoadRequest request) {
        return owner.run(() -> core.load(request), request.timeout(),
                () -> new LoadError.TimedOut(request.path(), request.timeout()));
    }

    @Override
    public LoadCheckReport checkLoad(Path path) {
        return owner.run(() -> core.checkLoad(path));
    }

    @Override
    public List<ModuleInfo> modules() {
        return owner.run(core::modules);
    }

    @Override
    public ModuleInfo info(ModuleRef module) {
        return owner.run(() -> core.info(module));
    }

    @Override
    public List<ExportInfo> exports(ModuleRef module) {
        return owner.run(() -> core.exports(module));
    }

    @Override
    public ExportInfo rememberSignature(ModuleRef module, String signature) {
        return owner.run(() -> core.rememberSignature(module, signature));
    }

    @Override
    public CallResult call(CallRequest request) {
        return owner.run(() -> core.call(request), request.timeout(),
                () -> new CallError.TimedOut(request.symbol(), request.timeout()));
    }

    @Override
    public List<PanicRecord> panics(ModuleRef module) {
        return owner.run(() -> core.panics(module));
    }

    @Override
    public ImportStub defineImportStub(String definition) {
        return owner.run(() -> core.defineImportStub(definition));
    }

    @Override
    public List<ImportStub> importStubs() {
        return owner.run(core::importStubs);
    }

    @Override
    public AllocationReport allocations(ModuleRef module) {
        return owner.run(() -> core.allocations(module));
    }

    @Override
    public ThreadReport threads(ModuleRef module) {
        return owner.run(() -> core.threads(module));
    }

    @Override
    public MappingReport mappings(ModuleRef module) {
        return owner.run(() -> core.mappings(module));
    }

    @Override
    public ReloadReport reload(ReloadRequest request) {
        return owner.run(() -> core.reload(request));
    }

    @Override
    public GenerationReport generations(ModuleRef module) {
        return owner.run(() -> core.generations(module));
    }

    @Override
    public List<Mapping> addressSpace() {
        return ProcessMaps.snapshot();
    }

    @Override
    public UnloadReport unload(UnloadRequest request) {
        return owner.run(() -> core.unload(request));
    }

    @Override
    public UnloadCheckReport checkUnload(ModuleRef module) {
        return owner.run(() -> core.checkUnload(module));
    }

    @Override
    public void continueModuleIdsAt(int id) {
        owner.run(() -> {
            core.continueModuleIdsAt(id);
            return null;
        });
    }

    @Override
    public MemoryBytes readMemory(long address, int length) {
        return owner.run(() -> core.memory().read(address, length));
    }

    @Override
    public TypedValue readValue(String type, long address) {
        return owner.run(() -> core.memory().readValue(type, address));
    }

    @Override
    public TypedValue writeValue(String type, long address, String literal) {
        return owner.run(() -> core.memory().writeValue(type, address, literal));
    }

    @Override
    public TypedValue readCString(long address) {
        return owner.run(() -> core.memory().readCStringAt(address));
    }

    @Override
    public HostBuffer allocateBuffer(long size) {
        return owner.run(() -> core.memory().allocate(size));
    }

    @Override
    public List<HostBuffer> buffers() {
        return owner.run(() -> core.memory().buffers());
    }

    @Override
    public HostBuffer freeBuffer(int id) {
        return owner.run(() -> core.memory().free(id));
    }

    @Override
    public StructInfo declareStruct(String declaration) {
        return owner.run(() -> core.declareStruct(declaration));
    }

    @Override
    public List<StructInfo> structs() {
        return owner.run(core::structs);
    }

    @Override
    public SymbolLocation locateSymbol(ModuleRef module, String symbol) {
        return owner.run(() -> core.locateSymbol(module, symbol));
    }

    /**
     * Runs {@code work} on the module owner thread, where this engine's operations then run inline:
     * no hand-off between threads per operation. For a caller that makes one request at a time and
     * needs no timeouts, which do not apply inside (the worker, whose shell kills it at a deadline).
     * A hand-off cost more than raw dlopen and dlclose of a small module (30 us on the calling
     * thread, 88-101 us a cycle through the owner thread), as the thread that waits makes every
     * mprotect and munmap of the other a cross-CPU TLB flush, and waking it costs 15-20 us.
     */
    public <T> T onOwnerThread(Callable<T> work) {
        return owner.run(work);
    }

    @Override
    public RestartReport restart() {
        throw new EngineFailure("engine.restart_unavailable",
                "restart needs the worker engine; relib was started with --in-process");
    }

    @Override
    public void close() {
        try {
            owner.run(() -> {
                core.close();
                return null;
            });
        } finally {
            owner.close();
        }
    }
}
