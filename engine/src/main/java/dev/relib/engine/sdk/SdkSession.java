package dev.relib.engine.sdk;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Closure;
import com.kenai.jffi.ClosureManager;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.process.Mapping;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.model.SdkInfo;
import dev.relib.engine.model.SdkInfo.EntryOutcome;
import dev.relib.engine.model.SdkInfo.ImportBinding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's side of one loaded SDK module, for its whole life: ABI check and init with the host
 * table, the import closures (kept here, strongly, until the module is unloaded), the panic count
 * check after every call, owned-return frees, {@code main}, {@code before_unload} and fini.
 * Confined to the module owner thread, except the closures, which run on whichever thread calls.
 */
public final class SdkSession {

    /** Must match RELIB_SDK_ABI in relib_sdk.h. */
    public static final int HOST_ABI = 1;
    /** Must match RELIB_SDK_HOST_RAW_FRAMES_ONLY: the engine symbolizes raw frames itself, and std's
     *  formatter would leave a 21-24 MB symbolizer cache that the leak report counts as the module's. */
    private static final int RAW_FRAMES_ONLY = 1;
    private static final int INIT_OK = 0;
    private static final int INIT_ABI_MISMATCH = 1;
    private static final int INIT_UNBOUND_IMPORTS = 2;
    private static final int ENTRY_OK = 0;
    private static final int ENTRY_PANICKED = 1;

    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final String module;
    private final SdkFunctions functions;
    private final SdkManifest manifest;
    private final List<ImportClosure> imports = new ArrayList<>();
    private final List<Closure.Handle> hostClosures = new ArrayList<>();
    private final PanicLog log;
    private final int generation;
    private int abi;
    private String sdkVersion;
    private String rustcVersion;
    private String crateName;
    private String crateVersion;
    private EntryOutcome mainOutcome = EntryOutcome.notExported();
    private long seenPanicCount;

    private SdkSession(String module, int generation, SdkFunctions functions, SdkManifest manifest, PanicLog log) {
        this.module = module;
        this.generation = generation;
        this.log = log;
        this.functions = functions;
        this.manifest = manifest;
    }

    /**
     * Checks the ABI and inits the module just dlopened; does not run {@code main}. On failure the
     * caller dlcloses the handle.
     *
     * @throws LoadError.SdkAbiMismatch another SDK ABI, naming both
     * @throws LoadError.UnboundImports imports neither a stub nor a built-in provides, all of them
     * @throws LoadError.SdkInitFailed  entry points missing or init failing otherwise
     */
    public static SdkSession open(String module, int generation, Path path, long handle, SdkManifest manifest,
                                  HostImports hostImports, DynamicLinker linker, PanicLog log) {
        SdkSession session = new SdkSession(module, generation, SdkFunctions.lookUp(linker, handle), manifest, log);
        try {
            session.readInfo(path);
            session.init(path, hostImports);
            return session;
        } catch (RuntimeException | Error e) {
            session.dispose();
            throw e;
        }
    }

    private void readInfo(Path path) {
        long info = functions.info();
        if (info == 0) {
            throw new LoadError.SdkInitFailed(path, "relib_sdk_info returned null");
        }
        // abi is the first field in every ABI version; read nothing else until it matches.
        abi = MEMORY.getInt(info);
        if (abi != HOST_ABI) {
            throw new LoadError.SdkAbiMismatch(path, Integer.toUnsignedLong(abi), HOST_ABI);
        }
        sdkVersion = string(info + 8);
        rustcVersion = string(info + 24);
        crateName = string(info + 40);
        crateVersion = string(info + 56);
    }

    private void init(Path path, HostImports hostImports) {
        functions.missingEntryPoint().ifPresent(name -> {
            throw new LoadError.SdkInitFailed(path, "the module does not export " + name);
        });
        List<String> missing = new ArrayList<>();
        long table = MEMORY.allocateMemory(24, true);
        if (table == 0) {
            throw new LoadError.SdkInitFailed(path, "out of memory for the host table");
        }
        int result;
        try {
            MEMORY.putInt(table, HOST_ABI);
            MEMORY.putInt(table + 4, RAW_FRAMES_ONLY);
            MEMORY.putAddress(table + 8, hostClosure(new LogClosure(module, hostImports.log()),
                    Type.VOID, Type.UINT32, Type.POINTER, Type.UINT64));
            MEMORY.putAddress(table + 16, hostClosure(new ResolveClosure(hostImports, missing),
                    Type.POINTER, Type.POINTER, Type.UINT64, Type.POINTER, Type.UINT64));
            result = functions.init(table);
        } finally {
            MEMORY.freeMemory(table);
        }
        collectPanics();
        if (result == INIT_UNBOUND_IMPORTS) {
            throw new LoadError.UnboundImports(path, missing);
        }
        if (result == INIT_ABI_MISMATCH) {
            throw new LoadError.SdkAbiMismatch(path, Integer.toUnsignedLong(abi), HOST_ABI);
        }
        if (result != INIT_OK) {
            throw new LoadError.SdkInitFailed(path, "it returned " + result);
        }
    }

    private long hostClosure(Closure closure, Type returns, Type... parameters) {
        CallContext context = CallContext.getCallContext(returns, parameters, CallingConvention.DEFAULT, false);
        Closure.Handle handle = ClosureManager.getInstance().newClosure(closure, context);
        hostClosures.add(handle);
        return handle.getAddress();
    }

    public SdkInfo info() {
        List<ImportBinding> bindings = imports.stream()
                .map(closure -> new ImportBinding(closure.entry(), closure.function().boundTo()))
                .toList();
        return new SdkInfo(abi, sdkVersion, rustcVersion, crateName, crateVersion, manifest.exports(), bindings,
                functions.hasMain(), functions.hasBeforeUnload(), mainOutcome);
    }

    public SdkManifest manifest() {
        return manifest;
    }

    /** Runs {@code main} (at load, and for {@code call main}); what it did is kept for {@link #info()}. */
    public EntryOutcome runMain() {
        if (!functions.hasMain()) {
            return EntryOutcome.notExported();
        }
        mainOutcome = outcome("main", functions.main());
        return mainOutcome;
    }

    public EntryOutcome runBeforeUnload() {
        if (!functions.hasBeforeUnload()) {
            return EntryOutcome.notExported();
        }
        return outcome("before_unload", functions.beforeUnload());
    }

    private EntryOutcome outcome(String entry, int result) {
        List<PanicRecord> taken = collectPanics();
        if (result == ENTRY_OK) {
            return EntryOutcome.ok();
        }
        if (result == ENTRY_PANICKED) {
            String message = taken.stream().filter(p -> entry.equals(p.export())).reduce((a, b) -> b)
                    .map(PanicRecord::summary).orElse("the panic was not recorded (see: panics)");
            return new EntryOutcome(EntryOutcome.Status.PANICKED, message);
        }
        return new EntryOutcome(EntryOutcome.Status.FAILED, entry + " returned an error (see the log)");
    }

    /**
     * Takes every panic queued since the last look, if the module's counter moved (read at its
     * address, no call). Call after every call into the module.
     */
    public List<PanicRecord> collectPanics() {
        long count = functions.panicCount();
        if (count == seenPanicCount) {
            return List.of();
        }
        seenPanicCount = count;
        List<PanicRecord> taken = new ArrayList<>();
        long out = MEMORY.allocateMemory(PanicReader.SIZE, true);
        if (out == 0) {
            return taken;
        }
        try {
            List<String> javaFrames = callerJavaFrames();
            List<Mapping> mappings = ProcessMaps.snapshot();
            while (functions.takePanic(out)) {
                PanicRecord panic = PanicReader.read(module, generation, out, javaFrames, mappings);
                taken.add(panic);
                log.add(panic);
            }
            functions.panicFree();
        } finally {
            MEMORY.freeMemory(out);
        }
        return taken;
    }

    /**
     * This thread's Java stack from the engine's call downward: the frames that were below the
     * native call when the module panicked, since panics are taken right after it returns.
     */
    private static List<String> callerJavaFrames() {
        StackTraceElement[] stack = Thread.currentThread().getStackTrace();
        int first = 0;
        while (first < stack.length && !(stack[first].getClassName().startsWith("dev.relib.engine.core.")
                && !stack[first].getMethodName().equals("failIfPanicked"))) {
            first++;
        }
        List<String> frames = new ArrayList<>();
        for (int i = first; i < stack.length; i++) {
            frames.add(stack[i].toString());
        }
        return frames;
    }


    /** Gives an owned String / Vec<u8> back to the module; a null pointer (a panicked export) is skipped. */
    public void free(long pointer, long length, long capacity) {
        if (pointer != 0) {
            functions.free(pointer, length, capacity);
        }
    }

    /** Drops what the SDK holds (queued panics are taken first). Call after before_unload, before dlclose. */
    public void fini() {
        collectPanics();
        functions.fini();
    }

    /** Frees the closures' trampolines: only once the module can no longer call them (after dlclose). */
    public void dispose() {
        imports.forEach(ImportClosure::dispose);
        imports.clear();
        hostClosures.forEach(Closure.Handle::dispose);
        hostClosures.clear();
    }

    private static String string(long at) {
        long pointer = MEMORY.getAddress(at);
        long length = MEMORY.getLong(at + 8);
        if (pointer == 0 || length <= 0 || length > 4096) {
            return "";
        }
        byte[] bytes = new byte[(int) length];
        MEMORY.getByteArray(pointer, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** resolve_import: binds one import, or returns null and notes it missing. Never throws into native code. */
    private final class ResolveClosure implements Closure {
        private final HostImports hostImports;
        private final List<String> missing;

        ResolveClosure(HostImports hostImports, List<String> missing) {
            this.hostImports = hostImports;
            this.missing = missing;
        }

        @Override
        public void invoke(Closure.Buffer buffer) {
            String entry = "?";
            try {
                entry = text(buffer.getAddress(2), buffer.getLong(3));
                String declared = entry;
                long address = hostImports.bind(module, declared).map(function -> {
                    ImportClosure closure = ImportClosure.create(module, declared, SignatureParser.parse(declared),
                            function, functions, hostImports.log());
                    imports.add(closure);
                    return closure.address();
                }).orElse(0L);
                if (address == 0) {
                    missing.add(declared);
                }
                buffer.setAddressReturn(address);
            } catch (Throwable e) {
                missing.add(entry + " (" + e + ")");
                buffer.setAddressReturn(0);
            }
        }

        private String text(long pointer, long length) {
            byte[] bytes = new byte[(int) Math.min(Math.max(length, 0), 4096)];
            MEMORY.getByteArray(pointer, bytes, 0, bytes.length);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The host table's log: the SDK writes an entry's Err text here. */
    private record LogClosure(String module, HostLog log) implements Closure {
        @Override
        public void invoke(Closure.Buffer buffer) {
            try {
                log.write(module, buffer.getInt(0), HostFunction.Log.utf8(buffer.getAddress(1), buffer.getLong(2)));
            } catch (Throwable ignored) {
                // A log line that cannot be read is dropped: nothing may unwind into the module.
            }
        }
    }
}
