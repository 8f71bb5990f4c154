package dev.relib.engine.worker;

import dev.relib.engine.Engine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.error.ReportedError;
import dev.relib.engine.error.WorkerCrash;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.CrashReport;
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
import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.model.RestartReport;
import dev.relib.engine.model.ThreadReport;
import dev.relib.engine.model.UnloadCheckReport;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.process.Mapping;
import dev.relib.engine.worker.wire.RawJson;
import dev.relib.engine.worker.wire.WireCodec;
import dev.relib.engine.worker.wire.WireFormatException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The engine in a worker JVM, so a module that segfaults, aborts, deadlocks or loops kills only
 * the worker. Requests go one at a time; a call with a timeout kills the worker at its deadline.
 * After a crash every request fails until {@link #restart()}, which starts a new worker and loads
 * again what was loaded, with the signatures that were remembered.
 */
public final class WorkerEngine implements Engine {

    private final WireCodec wire = new WireCodec();
    private final Consumer<ModuleOutput> moduleOutput;
    private final SessionReplay replay = new SessionReplay();
    /** Volatile: {@link #endRunningRequest()} reads it from another thread while a request holds the lock. */
    private volatile WorkerProcess worker;
    /** Set by {@link #endRunningRequest()}, so the worker's death is reported as the user's doing. */
    private volatile boolean endRequested;
    private CrashReport lastCrash;
    /** Loaded modules' files (shadow copies, as mapped) by name: a crash report names the module that crashed. */
    private final Map<String, String> moduleFiles = new HashMap<>();
    private long nextId = 1;
    /** One past the highest module id any worker of this engine gave: a restarted one goes on from there. */
    private int nextModuleId = 1;

    private WorkerEngine(Consumer<ModuleOutput> moduleOutput) {
        this.moduleOutput = moduleOutput;
        this.worker = WorkerProcess.spawn(moduleOutput).connect(wire);
    }

    /** Starts a worker; {@code moduleOutput} receives each line modules print, in order with responses. */
    public static WorkerEngine start(Consumer<ModuleOutput> moduleOutput) {
        return new WorkerEngine(moduleOutput);
    }

    public long workerPid() {
        return worker.pid();
    }

    /** The worker's private directory (socket, crash log, its temporary files and shadow copies). */
    public synchronized Path workerDirectory() {
        return worker.directory();
    }

    @Override
    public synchronized ModuleInfo load(LoadRequest request) {
        // As for calls, the deadline is kept here, where the worker can be killed at it.
        ModuleInfo loaded = exchange(new WorkerRequest.Load(request.withTimeout(null)), ModuleInfo.class,
                request.timeout());
        replay.loaded(request, loaded);
        nextModuleId = Math.max(nextModuleId, loaded.id() + 1);
        moduleFiles.put(loaded.loadedFrom().toString(), loaded.name());
        return loaded;
    }

    @Override
    public synchronized LoadCheckReport checkLoad(Path path) {
        return exchange(new WorkerRequest.CheckLoad(path), LoadCheckReport.class, null);
    }

    @Override
    public synchronized List<ModuleInfo> modules() {
        return exchange(new WorkerRequest.Modules(), WireCodec.listOf(ModuleInfo.class));
    }

    @Override
    public synchronized ModuleInfo info(ModuleRef module) {
        return exchange(new WorkerRequest.Info(module), ModuleInfo.class, null);
    }

    @Override
    public synchronized List<ExportInfo> exports(ModuleRef module) {
        return exchange(new WorkerRequest.Exports(module), WireCodec.listOf(ExportInfo.class));
    }

    @Override
    public synchronized ExportInfo rememberSignature(ModuleRef module, String signature) {
        ExportInfo export = exchange(new WorkerRequest.RememberSignature(module, signature), ExportInfo.class, null);
        replay.remembered(info(module).name(), signature);
        return export;
    }

    @Override
    public synchronized CallResult call(CallRequest request) {
        // The deadline is kept here, where the worker can be killed; the worker itself waits without
        // one, or its own timeout could answer first and leave a stuck call running in it.
        CallRequest untimed = new CallRequest(request.module(), request.symbol(), request.signature(),
                request.arguments(), request.repeat(), null);
        CallResult result = exchange(new WorkerRequest.Call(untimed), CallResult.class, request.timeout());
        if (request.signature() != null) {
            replay.remembered(result.module(), result.signature());
        }
        return result;
    }

    @Override
    public synchronized AllocationReport allocations(ModuleRef module) {
        return exchange(new WorkerRequest.Allocations(module), AllocationReport.class, null);
    }

    @Override
    public synchronized ThreadReport threads(ModuleRef module) {
        return exchange(new WorkerRequest.Threads(module), ThreadReport.class, null);
    }

    @Override
    public synchronized MappingReport mappings(ModuleRef module) {
        return exchange(new WorkerRequest.Mappings(module), MappingReport.class, null);
    }

    @Override
    public synchronized ReloadReport reload(ReloadRequest request) {
        ReloadReport report = exchange(new WorkerRequest.Reload(request), ReloadReport.class, null);
        if (report.reloaded()) {
            modules().forEach(m -> moduleFiles.put(m.loadedFrom().toString(), m.name()));
        }
        return report;
    }

    @Override
    public synchronized GenerationReport generations(ModuleRef module) {
        return exchange(new WorkerRequest.Generations(module), GenerationReport.class, null);
    }

    @Override
    public synchronized List<Mapping> addressSpace() {
        return exchange(new WorkerRequest.AddressSpace(), WireCodec.listOf(Mapping.class));
    }

    @Override
    public synchronized UnloadReport unload(UnloadRequest request) {
        UnloadReport report = exchange(new WorkerRequest.Unload(request), UnloadReport.class, null);
        if (report.outcome() != UnloadReport.Outcome.REFUSED) {
            replay.unloaded(report.module());
        }
        return report;
    }

    @Override
    public synchronized UnloadCheckReport checkUnload(ModuleRef module) {
        return exchange(new WorkerRequest.CheckUnload(module), UnloadCheckReport.class, null);
    }

    @Override
    public synchronized List<PanicRecord> panics(ModuleRef module) {
        return exchange(new WorkerRequest.Panics(module), WireCodec.listOf(PanicRecord.class));
    }

    @Override
    public synchronized ImportStub defineImportStub(String definition) {
        ImportStub stub = exchange(new WorkerRequest.DefineImportStub(definition), ImportStub.class, null);
        replay.stubDefined(stub);
        return stub;
    }

    @Override
    public synchronized List<ImportStub> importStubs() {
        return exchange(new WorkerRequest.ImportStubs(), WireCodec.listOf(ImportStub.class));
    }

    @Override
    public synchronized MemoryBytes readMemory(long address, int length) {
        return exchange(new WorkerRequest.ReadMemory(address, length), MemoryBytes.class, null);
    }

    @Override
    public synchronized TypedValue readValue(String type, long address) {
        return exchange(new WorkerRequest.ReadValue(type, address), TypedValue.class, null);
    }

    @Override
    public synchronized TypedValue writeValue(String type, long address, String literal) {
        return exchange(new WorkerRequest.WriteValue(type, address, literal), TypedValue.class, null);
    }

    @Override
    public synchronized TypedValue readCString(long address) {
        return exchange(new WorkerRequest.ReadCString(address), TypedValue.class, null);
    }

    @Override
    public synchronized HostBuffer allocateBuffer(long size) {
        return exchange(new WorkerRequest.AllocateBuffer(size), HostBuffer.class, null);
    }

    @Override
    public synchronized List<HostBuffer> buffers() {
        return exchange(new WorkerRequest.Buffers(), WireCodec.listOf(HostBuffer.class));
    }

    @Override
    public synchronized HostBuffer freeBuffer(int id) {
        return exchange(new WorkerRequest.FreeBuffer(id), HostBuffer.class, null);
    }

    @Override
    public synchronized StructInfo declareStruct(String declaration) {
        StructInfo struct = exchange(new WorkerRequest.DeclareStruct(declaration), StructInfo.class, null);
        replay.structDeclared(struct);
        return struct;
    }

    @Override
    public synchronized List<StructInfo> structs() {
        return exchange(new WorkerRequest.Structs(), WireCodec.listOf(StructInfo.class));
    }

    @Override
    public synchronized SymbolLocation locateSymbol(ModuleRef module, String symbol) {
        return exchange(new WorkerRequest.LocateSymbol(module, symbol), SymbolLocation.class, null);
    }

    /** Ends the current worker (if it still runs), starts a new one, and loads again what was loaded. */
    @Override
    public synchronized RestartReport restart() {
        worker.kill();
        worker.close();
        worker = WorkerProcess.start(moduleOutput, wire);
        endRequested = false;
        lastCrash = null;
        moduleFiles.clear();
        RestartReport report = replay.replayInto(this, worker.pid());
        continueModuleIdsAt(nextModuleId);
        return report;
    }

    @Override
    public synchronized void continueModuleIdsAt(int id) {
        exchange(new WorkerRequest.ContinueModuleIds(id), Void.class, null);
    }

    /** Not synchronized: it must act while the thread that waits for the worker holds the lock. */
    @Override
    public boolean endRunningRequest() {
        endRequested = true;
        worker.kill();
        return true;
    }

    /** The crash that ended the last worker, until {@link #restart()}; empty while it runs. */
    @Override
    public synchronized Optional<CrashReport> lastCrash() {
        return Optional.ofNullable(lastCrash);
    }

    private <T> List<T> exchange(WorkerRequest request, Type listType) {
        return exchange(request, listType, null);
    }

    private <T> T exchange(WorkerRequest request, Class<T> type, Duration timeout) {
        return exchange(request, (Type) type, timeout);
    }

    private <T> T exchange(WorkerRequest request, Type type, Duration timeout) {
        if (lastCrash != null) {
            throw new EngineFailure("worker.dead", "the worker process is gone (" + lastCrash.cause()
                    + "); run 'restart' to start a new one with the same modules");
        }
        long id = nextId++;
        WorkerMessages.Response response = roundTrip(id, request, timeout);
        try {
            worker.awaitOutput(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.markOutputBoundary();
        if (response.error() != null) {
            throw new ReportedError(response.error().code(), response.error().message(), response.error().detail());
        }
        try {
            return wire.read((response.result() == null ? RawJson.NULL : response.result()).text(), type);
        } catch (WireFormatException e) {
            throw new EngineFailure("worker.protocol", "unreadable answer from the worker: " + e.getMessage(), e);
        }
    }

    private WorkerMessages.Response roundTrip(long id, WorkerRequest request, Duration timeout) {
        try {
            worker.send(wire.write(new WorkerMessages.Envelope(id, request)));
            ReplyWaiter.Reply reply = worker.awaitReply(timeout);
            return switch (reply.kind()) {
                case ANSWER -> wire.read(reply.line(), WorkerMessages.Response.class);
                case DIED -> throw crashed(request, null);
                case TIMED_OUT -> {
                    worker.kill();
                    throw crashed(request, timeout);
                }
                case STOPPED -> {
                    worker.kill();
                    throw stopped(request);
                }
            };
        } catch (IOException e) {
            throw crashed(request, null);
        } catch (WireFormatException e) {
            throw new EngineFailure("worker.protocol", "unreadable answer from the worker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineFailure("engine.interrupted", "interrupted while waiting for the worker", e);
        }
    }

    private EngineException crashed(WorkerRequest request, Duration timeout) {
        WorkerCrash crash = diagnose(request, timeout);
        lastCrash = CrashDiagnosis.showingOnly(lastCrash, worker.requestOutput());
        return new WorkerCrash(crash.code(), lastCrash);
    }

    private WorkerCrash diagnose(WorkerRequest request, Duration timeout) {
        int status = awaitExit();
        if (endRequested) {
            lastCrash = CrashDiagnosis.endedByUser(request.describe(), worker.pid(), worker.recentOutput());
            return new WorkerCrash(WorkerCrash.INTERRUPTED, lastCrash);
        }
        if (timeout != null) {
            lastCrash = CrashDiagnosis.timedOut(request.describe(), timeout, worker.recentOutput());
            return new WorkerCrash(request instanceof WorkerRequest.Load ? WorkerCrash.LOAD_TIMEOUT : WorkerCrash.CRASHED,
                    lastCrash);
        }
        lastCrash = CrashDiagnosis.of(request.describe(), status, worker.recentOutput(), worker.crashLog())
                .withNativeCrash(NativeCrashFiles.read(worker.directory())
                        .map(crash -> crash.withModuleFiles(moduleFiles)).orElse(null));
        return new WorkerCrash(lastCrash);
    }

    private EngineException stopped(WorkerRequest request) {
        awaitExit();
        lastCrash = CrashDiagnosis.showingOnly(
                CrashDiagnosis.stopped(request.describe(), worker.pid(), worker.recentOutput()), worker.requestOutput());
        return new WorkerCrash(WorkerCrash.STOPPED, lastCrash);
    }

    private int awaitExit() {
        try {
            return worker.awaitExit(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Unloads what is still loaded, one module at a time and newest first as the in-process engine
     * does, so that a destructor that crashes the worker is reported with the module it belongs to,
     * then ends the worker.
     *
     * @throws WorkerCrash when the worker died during those unloads (the shell reports it; nothing is lost by then)
     */
    @Override
    public synchronized void close() {
        try {
            if (lastCrash == null && worker.isAlive()) {
                List<ModuleInfo> loaded = modules();
                for (int i = loaded.size() - 1; i >= 0; i--) {
                    ModuleInfo module = loaded.get(i);
                    exchange(new WorkerRequest.FinalUnload(new UnloadRequest(ModuleRef.id(module.id()), false, false),
                            module.name()), UnloadReport.class, null);
                }
            }
        } catch (ReportedError e) {
            // The worker answered: it unloads what is left itself as it ends.
        } finally {
            worker.close();
        }
    }
}
