package dev.relib.engine.core;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.loader.NeededResolver;
import dev.relib.engine.loader.ShadowCopies;
import dev.relib.engine.memory.SessionMemory;
import dev.relib.engine.model.StructInfo;
import dev.relib.engine.model.SymbolLocation;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.GenerationReport;
import dev.relib.engine.model.ImportStub;
import dev.relib.engine.model.LoadCheckReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.MappingReport;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.model.ThreadReport;
import dev.relib.engine.model.UnloadCheckReport;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.relib.RelibChecks;
import dev.relib.engine.relib.RelibImportStubs;
import dev.relib.engine.relib.RelibSession;
import dev.relib.engine.sdk.HostImports;
import dev.relib.engine.sdk.PanicLog;
import dev.relib.engine.sdk.HostLog;
import dev.relib.engine.sdk.ImportStubs;
import dev.relib.engine.sdk.SdkSession;
import dev.relib.engine.unload.StillLoadedDiagnosis;
import dev.relib.engine.unload.UnloadDryRun;
import dev.relib.engine.unload.UnloadPipeline;
import java.nio.file.Path;
import java.util.List;

/**
 * The engine's work, done on the module owner thread: the registry and everything that touches
 * it. {@link dev.relib.engine.InProcessEngine} is the thread boundary in front of it; nothing here
 * is thread-safe, by design (one thread, no locks).
 */
public final class EngineCore implements AutoCloseable {

    private final PanicLog panicLog = new PanicLog();
    private final ThreadPanics threadPanics;
    private final ModuleRegistry registry = new ModuleRegistry();
    private final DynamicLinker linker;
    private final ShadowCopies shadowCopies;
    private final ImportStubs importStubs = new ImportStubs();
    private final RelibImportStubs relibStubs = new RelibImportStubs();
    private final LoadChecks checks;
    private final ModuleLoader loader;
    private final CallDispatcher calls;
    private final UnloadPipeline unloadPipeline;
    private final UnloadDryRun unloadDryRun;
    private final TrackingReports tracking;
    private final GenerationHistory history = new GenerationHistory();
    private final ModuleReloader reloader;
    private final SessionMemory memory = new SessionMemory();
    private final StructTypes structs = new StructTypes();
    private final SymbolLocator symbols;

    public EngineCore() {
        AgentProvider agent = new AgentProvider();
        this.threadPanics = new ThreadPanics(agent, panicLog);
        this.linker = new DynamicLinker();
        this.shadowCopies = ShadowCopies.create(panicLog::references);
        HostImports hostImports = new HostImports(importStubs, HostLog.to(System.err));
        this.checks = new LoadChecks(registry, linker, new NeededResolver(linker), hostImports,
                new RelibChecks(relibStubs));
        this.loader = new ModuleLoader(registry, checks, shadowCopies, linker, agent, hostImports, panicLog, relibStubs,
                threadPanics);
        this.calls = new CallDispatcher(registry, linker, structs, new RelibCallDispatcher(linker, panicLog, threadPanics));
        StillLoadedDiagnosis diagnosis = new StillLoadedDiagnosis(linker);
        this.unloadPipeline = new UnloadPipeline(linker, agent, diagnosis);
        this.unloadDryRun = new UnloadDryRun(diagnosis, agent);
        this.tracking = new TrackingReports(agent);
        this.symbols = new SymbolLocator(registry, linker);
        this.reloader = new ModuleReloader(registry, loader, unloadPipeline, unloadDryRun, shadowCopies, history,
                threadPanics);
    }

    public ModuleInfo load(LoadRequest request) {
        return loader.load(request).info();
    }

    /** See {@link dev.relib.engine.Engine#continueModuleIdsAt}. */
    public void continueModuleIdsAt(int id) {
        registry.continueIdsAt(id);
    }

    public LoadCheckReport checkLoad(Path path) {
        return checks.report(path);
    }

    public List<ModuleInfo> modules() {
        return registry.all().stream().map(LoadedModule::info).toList();
    }

    public ModuleInfo info(ModuleRef ref) {
        LoadedModule loaded = registry.resolve(ref);
        return tracking.withOpenFiles(loaded);
    }

    public List<ExportInfo> exports(ModuleRef ref) {
        return Exports.of(registry.resolve(ref));
    }

    public ExportInfo rememberSignature(ModuleRef ref, String signature) {
        return calls.remember(registry.resolve(ref), signature);
    }

    /** A {@code --lazy-reload} module whose file changed is reloaded first, as dymod does. */
    public CallResult call(CallRequest request) {
        LoadedModule module = registry.resolve(request.module());
        if (!module.request().lazyReload() || !module.sourceChanged()) {
            return calls.call(request);
        }
        ReloadReport reloaded = reloader.reload(ReloadRequest.of(ModuleRef.id(module.id())));
        CallResult result = calls.call(request);
        return new CallResult(result.module(), result.symbol(), result.signature(), result.returnType(), result.value(),
                result.display(), result.repeat(), result.totalNanos(), reloaded);
    }

    public ReloadReport reload(ReloadRequest request) {
        return reloader.reload(request);
    }

    public GenerationReport generations(ModuleRef ref) {
        LoadedModule module = registry.resolve(ref);
        return new GenerationReport(module.name(), module.generation(), history.earlierOf(module.id()),
                history.of(module.id()), tracking.allocations(module));
    }

    /** Every panic taken (null) or those of one loaded module's name, earlier generations included. */
    public List<PanicRecord> panics(ModuleRef ref) {
        // A module's own threads may have panicked since the last call into it.
        registry.all().forEach(module -> module.sdk().ifPresent(SdkSession::collectPanics));
        registry.all().forEach(threadPanics::collect);
        return ref == null ? panicLog.all() : panicLog.of(registry.resolve(ref).name());
    }

    /** {@code Trait::name(...)} defines a relib import stub, anything else an SDK one. */
    public ImportStub defineImportStub(String text) {
        return RelibImportStubs.isRelibDefinition(text) ? relibStubs.define(text) : importStubs.define(text);
    }

    public List<ImportStub> importStubs() {
        List<ImportStub> all = new java.util.ArrayList<>(importStubs.all());
        all.addAll(relibStubs.all());
        return List.copyOf(all);
    }

    public AllocationReport allocations(ModuleRef ref) {
        return tracking.allocations(registry.resolve(ref));
    }

    public ThreadReport threads(ModuleRef ref) {
        return tracking.threads(registry.resolve(ref));
    }

    public MappingReport mappings(ModuleRef ref) {
        return tracking.mappings(registry.resolve(ref));
    }

    public UnloadReport unload(UnloadRequest request) {
        LoadedModule module = registry.resolve(request.module());
        // The agent forgets the module's stderr at unload: what its threads printed is read first.
        threadPanics.collect(module);
        UnloadReport report = unloadPipeline.run(UnloadTargets.of(registry, module), request);
        if (report.outcome() != UnloadReport.Outcome.REFUSED) {
            threadPanics.forget(module);
            // dlclose ran: the handle is gone even when the file stays mapped, so is the module.
            registry.remove(module);
            history.forget(module.id());
            if (report.outcome() == UnloadReport.Outcome.UNLOADED) {
                // Only once the code is gone: a module still mapped could still call its imports.
                module.sdk().ifPresent(SdkSession::dispose);
                module.relib().ifPresent(RelibSession::dispose);
            }
        }
        return report;
    }

    public UnloadCheckReport checkUnload(ModuleRef ref) {
        return unloadDryRun.run(UnloadTargets.of(registry, registry.resolve(ref)));
    }

    /** The session's memory commands: bytes and typed values in this process, and its buffers. */
    public SessionMemory memory() {
        return memory;
    }

    public StructInfo declareStruct(String declaration) {
        return structs.declare(declaration);
    }

    public List<StructInfo> structs() {
        return structs.all();
    }

    public SymbolLocation locateSymbol(ModuleRef ref, String symbol) {
        return symbols.locate(ref, symbol);
    }

    /** Unloads every module, newest first, then removes the shadow copies and frees the session's buffers. */
    @Override
    public void close() {
        List<LoadedModule> loaded = registry.all();
        for (int i = loaded.size() - 1; i >= 0; i--) {
            unload(new UnloadRequest(ModuleRef.id(loaded.get(i).id()), false, false));
        }
        shadowCopies.close();
        memory.close();
    }
}
