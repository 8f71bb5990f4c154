package dev.relib.engine.core;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.loader.FileStamp;
import dev.relib.engine.loader.ShadowCopies;
import dev.relib.engine.model.FileIdentity;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleKind;
import dev.relib.engine.relib.RelibFile;
import dev.relib.engine.relib.RelibImportStubs;
import dev.relib.engine.relib.RelibSession;
import dev.relib.engine.sdk.HostImports;
import dev.relib.engine.sdk.PanicLog;
import dev.relib.engine.sdk.SdkManifest;
import dev.relib.engine.sdk.SdkSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Check, shadow-copy, dlopen, register: the load half of a module's life. Runs on the owner thread. */
final class ModuleLoader {

    /** Module names longer than this are refused: they name files of the shadow copy. */
    static final int MAX_NAME_LENGTH = 128;
    /** Names are used as {@code MOD.SYMBOL} and {@code #id} is an id: no dots, no leading '#', no spaces. */
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_+-]*");

    private final ModuleRegistry registry;
    private final LoadChecks checks;
    private final ShadowCopies shadowCopies;
    private final DynamicLinker linker;
    private final Supplier<Agent> agent;
    private final HostImports hostImports;
    private final PanicLog panicLog;
    private final ThreadPanics threadPanics;
    private final RelibImportStubs relibStubs;

    ModuleLoader(ModuleRegistry registry, LoadChecks checks, ShadowCopies shadowCopies, DynamicLinker linker,
                 Supplier<Agent> agent, HostImports hostImports, PanicLog panicLog, RelibImportStubs relibStubs,
                 ThreadPanics threadPanics) {
        this.relibStubs = relibStubs;
        this.panicLog = panicLog;
        this.threadPanics = threadPanics;
        this.registry = registry;
        this.checks = checks;
        this.shadowCopies = shadowCopies;
        this.linker = linker;
        this.agent = agent;
        this.hostImports = hostImports;
    }

    LoadedModule load(LoadRequest request) {
        LoadChecks.Inspected inspected = checks.inspect(request.path());
        Path source = inspected.path();
        String name = request.as() != null ? validName(source, request.as()) : derivedName(source);
        if (registry.byName(name).isPresent()) {
            throw new LoadError.NameTaken(source, name);
        }
        boolean secondInstance = request.as() != null && request.copy();
        if (!secondInstance && inspected.loadedAs().isPresent()) {
            throw new LoadError.AlreadyLoaded(source, inspected.loadedAs().get());
        }
        if (!secondInstance && inspected.mappedByOthers()) {
            throw new LoadError.AlreadyLoaded(source, null);
        }
        LoadedModule module = open(inspected, request, name, registry.allocateId(), 1);
        registry.add(module);
        return module;
    }

    /**
     * The next generation of a loaded module, read from its source file as it is now and opened
     * beside the running one (its own shadow copy, so glibc maps it anew). Not registered: the
     * caller swaps it in once the old generation is retired.
     */
    LoadedModule openNextGeneration(LoadedModule current) {
        LoadChecks.Inspected inspected = checks.inspect(current.info().source());
        return open(inspected, current.request(), current.name(), current.id(), current.generation() + 1);
    }

    /** Validates the source as a load would, for a reload that must unload before it can open. */
    void inspect(Path source) {
        LoadChecks.Inspected inspected = checks.inspect(source);
        if (!inspected.unresolvedNeeded().isEmpty()) {
            throw new LoadError.UnresolvedNeeded(inspected.path(), inspected.unresolvedNeeded());
        }
    }

    private LoadedModule open(LoadChecks.Inspected inspected, LoadRequest request, String name, int id, int generation) {
        Path source = inspected.path();
        if (!inspected.unresolvedNeeded().isEmpty()) {
            throw new LoadError.UnresolvedNeeded(source, inspected.unresolvedNeeded());
        }
        Optional<SdkManifest> manifest = SdkManifest.of(inspected.elf());
        if (manifest.isPresent()) {
            // Like a WebAssembly link error: refused before anything is mapped, every missing import named.
            List<String> unbound = hostImports.unbound(name, manifest.get().imports());
            if (!unbound.isEmpty()) {
                throw new LoadError.UnboundImports(source, unbound);
            }
        }
        Optional<RelibFile> relibFile = RelibFile.of(inspected.elf());
        boolean relibForced = false;
        if (relibFile.isPresent()) {
            // relib_host's refusals, and its abort on an unfilled slot, found before anything is mapped.
            List<String> refusals = relibFile.get().refusals();
            if (!refusals.isEmpty() && !request.force()) {
                throw new LoadError.RelibMismatch(source, refusals);
            }
            relibForced = !refusals.isEmpty();
            List<String> unbound = relibStubs.unbound(relibFile.get());
            if (!unbound.isEmpty()) {
                throw new LoadError.RelibUnboundImports(source, unbound);
            }
        }
        // Taken before the checks read the file: a change since then shows at the next reload.
        FileStamp stamp = inspected.stamp();
        Path loadedFrom = request.copy()
                ? shadowCopies.copyOf(source, stamp, generation == 1 ? name : name + "-g" + generation) : source;
        // The copy is what stays loaded; read its tables, not the source's, which cargo may rewrite.
        ElfFile elf;
        long handle;
        try {
            elf = request.copy() ? shadowCopies.elfOf(loadedFrom) : inspected.elf();
            // The copy is what dlopen maps, and the source may have changed since it was checked.
            elf.requireSafeToLoad();
            handle = relibFile.isPresent() ? linker.openRelib(loadedFrom) : linker.open(loadedFrom);
        } catch (LoadError e) {
            if (request.copy()) {
                shadowCopies.discard(loadedFrom);
            }
            throw e;
        } catch (DynamicLinker.DlopenException e) {
            if (request.copy()) {
                shadowCopies.discard(loadedFrom);
            }
            throw new LoadError.DlopenFailed(source, e.getMessage());
        }
        int trackingId = registry.allocateTrackingId();
        if (request.tracked()) {
            attach(handle, trackingId, loadedFrom, request.copy(), request.stacks());
        }
        RelibSession relib = null;
        if (relibFile.isPresent()) {
            try {
                // After the agent is attached, so it sees the C heap of init too; init runs here, on the owner thread.
                relib = RelibSession.open(name, source, handle, RelibFile.of(elf).orElse(relibFile.get()), linker,
                        agent.get().relib(), relibStubs, relibForced);
            } catch (LoadError e) {
                close(handle, trackingId, request.tracked(), loadedFrom, request.copy());
                throw e;
            }
        }
        SdkSession sdk = null;
        if (manifest.isPresent()) {
            try {
                // After the agent is attached: what init and main allocate is the module's.
                sdk = SdkSession.open(name, generation, source, handle, manifest.get(), hostImports, linker, panicLog);
            } catch (LoadError e) {
                close(handle, trackingId, request.tracked(), loadedFrom, request.copy());
                throw e;
            }
            sdk.runMain();
        }
        long bias = linker.loadBias(handle);
        FileStamp loadedStamp = request.copy() ? shadowCopies.stampOf(loadedFrom).orElseGet(() -> FileStamp.of(loadedFrom))
                : stamp;
        FileIdentity loadedIdentity = loadedStamp.identityOf(loadedFrom);
        List<ElfSymbol> exports = elf.definedFunctions();
        ModuleInfo info = new ModuleInfo(id, name, source, loadedFrom, inspected.identity(),
                loadedIdentity, bias, loadedStamp.size(), elf.buildId().orElse(null),
                elf.rustcVersion().orElse(null), elf.dynamic().needed(), elf.dynamic().nodelete(),
                request.tracked(), relib != null ? ModuleKind.RELIB : sdk == null ? ModuleKind.PLAIN : ModuleKind.SDK,
                exports.size(), Instant.now(), generation, sdk == null ? null : sdk.info(),
                relib == null ? null : relib.info(), request.tracked() && request.stacks());
        return new LoadedModule(info, request, handle, trackingId, stamp, elf, exports, sdk, relib);
    }

    /** Patches the module's GOT before anything calls into it; on failure nothing stays loaded. */
    private void attach(long handle, int id, Path loadedFrom, boolean copied, boolean stacks) {
        try {
            agent.get().attach(handle, id, stacks);
            threadPanics.begin(id);
        } catch (EngineException e) {
            linker.close(handle);
            if (copied) {
                shadowCopies.discard(loadedFrom);
            }
            throw e;
        }
    }

    /** Undoes a load that was refused after dlopen, so nothing of the module stays mapped. */
    private void close(long handle, int id, boolean tracked, Path loadedFrom, boolean copied) {
        if (tracked) {
            agent.get().detach(id);
        }
        linker.close(handle);
        if (tracked) {
            agent.get().forget(id);
        }
        if (copied) {
            shadowCopies.discard(loadedFrom);
        }
    }

    /** {@code libfoo_bar.so.1} -> {@code foo_bar}. */
    static String derivedName(Path file) {
        String base = file.getFileName().toString();
        int so = base.indexOf(".so");
        if (so > 0) {
            base = base.substring(0, so);
        }
        if (base.startsWith("lib") && base.length() > 3) {
            base = base.substring(3);
        }
        String cleaned = base.replaceAll("[^A-Za-z0-9_+-]", "_");
        String named = cleaned.startsWith("-") || cleaned.startsWith("+") ? "_" + cleaned : cleaned;
        // A file name of up to 255 bytes gives a name that must still fit in the shadow copy's name.
        return named.length() > MAX_NAME_LENGTH ? named.substring(0, MAX_NAME_LENGTH) : named;
    }

    private static String validName(Path source, String name) {
        if (!VALID_NAME.matcher(name).matches()) {
            throw new LoadError.InvalidName(source, name);
        }
        if (name.length() > MAX_NAME_LENGTH) {
            // The name becomes part of the shadow copy's file name, which the file system limits (issue 16.7).
            throw new LoadError.InvalidName(source, name.substring(0, 20) + "...",
                    "at most " + MAX_NAME_LENGTH + " characters, not " + name.length());
        }
        return name;
    }
}
