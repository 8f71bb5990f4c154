package dev.relib.engine.core;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.call.AbiStableType;
import dev.relib.engine.call.ArgumentConverter;
import dev.relib.engine.call.CallOutcome;
import dev.relib.engine.call.CompiledCall;
import dev.relib.engine.call.OwnedRelease;
import dev.relib.engine.call.PreparedArguments;
import dev.relib.engine.call.Signature;
import dev.relib.engine.call.ValueType;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.SignatureError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.model.SdkInfo.EntryOutcome;
import dev.relib.engine.sdk.SdkSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a call's module, symbol and signature, and runs it. Signatures are compiled once for
 * the engine and bound once per module generation and symbol; arguments are converted once per
 * request, however many times {@code --repeat} calls. For SDK modules the manifest supplies the
 * signature (and checks a given one), owned returns go back to the module, and a panic fails the
 * call. Runs on the owner thread.
 */
final class CallDispatcher {

    /** {@code call main} runs an SDK module's main again. */
    private static final String MAIN = "main";

    private final ModuleRegistry registry;
    private final DynamicLinker linker;
    private final StructTypes structs;
    private final RelibCallDispatcher relibCalls;
    private final CompiledSignatures compiledSignatures = new CompiledSignatures();

    CallDispatcher(ModuleRegistry registry, DynamicLinker linker, StructTypes structs, RelibCallDispatcher relibCalls) {
        this.registry = registry;
        this.linker = linker;
        this.structs = structs;
        this.relibCalls = relibCalls;
    }

    CallResult call(CallRequest request) {
        LoadedModule module = registry.resolve(request.module());
        String symbol = request.symbol();
        Optional<String> relibSymbol = RelibCallDispatcher.relibSymbol(module, symbol);
        if (relibSymbol.isPresent()) {
            return relibCalls.call(module, module.relibExports().orElseThrow(), relibSymbol.get(), request);
        }
        Optional<SdkSession> sdk = module.sdk();
        if (sdk.isPresent() && symbol.equals(MAIN) && !module.exports().containsKey(MAIN)) {
            return callMain(module, sdk.get(), request);
        }
        long address = addressOf(module, symbol);
        Signature signature = signatureFor(module, symbol, request.signature());
        rejectAbiStableTypes(module, signature);
        CompiledCall compiled = module.compiled(symbol, signature, address, compiledSignatures);
        CallOutcome outcome;
        try (PreparedArguments arguments = compiled.prepare(resolveSymbolAddresses(request.arguments()))) {
            OwnedRelease release = sdk.<OwnedRelease>map(session -> session::free).orElse(null);
            outcome = compiled.invoke(arguments, request.repeat(), release);
        } finally {
            failIfPanicked(module, symbol);
        }
        if (request.signature() != null) {
            module.remember(symbol, signature);
        }
        return new CallResult(module.name(), symbol, compiled.signatureText(), signature.returnType().text(),
                outcome.value().value(), outcome.value().display(), request.repeat(), outcome.totalNanos(), null);
    }

    /**
     * {@code &MOD.SYMBOL} (or {@code &SYMBOL} in the one loaded module) passes that export's address:
     * how the shell hands module A a function pointer into module B.
     */
    private List<String> resolveSymbolAddresses(List<String> arguments) {
        if (arguments.stream().noneMatch(a -> a.startsWith("&") && a.length() > 1)) {
            return arguments;
        }
        List<String> resolved = new ArrayList<>(arguments.size());
        for (String argument : arguments) {
            if (!argument.startsWith("&") || argument.length() == 1) {
                resolved.add(argument);
                continue;
            }
            String reference = argument.substring(1);
            int dot = reference.indexOf('.');
            LoadedModule owner = dot > 0 ? registry.resolve(ModuleRef.of(reference.substring(0, dot)))
                    : registry.resolve(ModuleRef.implied());
            resolved.add(ArgumentConverter.ADDRESS_AS_IS + "0x"
                    + Long.toHexString(addressOf(owner, dot > 0 ? reference.substring(dot + 1) : reference)));
        }
        return resolved;
    }

    private static CallResult callMain(LoadedModule module, SdkSession sdk, CallRequest request) {
        if (!request.arguments().isEmpty()) {
            throw new CallError.ArgumentCount("main()", 0, request.arguments().size());
        }
        long start = System.nanoTime();
        EntryOutcome outcome = sdk.runMain();
        long nanos = System.nanoTime() - start;
        switch (outcome.status()) {
            case NOT_EXPORTED -> throw new CallError.SymbolNotFound(module.name(), MAIN);
            case PANICKED -> throw new CallError.Panicked(MAIN, outcome.message());
            case FAILED -> throw new CallError.EntryFailed(MAIN);
            case OK -> {
            }
        }
        return new CallResult(module.name(), MAIN, "main()", "()", null, "()", 1, nanos, null);
    }

    /**
     * A panic caught by an SDK export during this call fails it: in the export called, or in another
     * module's export the call reached through a function pointer (module A calling B). Panics on
     * threads a module started are only kept, for {@code panics}.
     */
    private void failIfPanicked(LoadedModule called, String symbol) {
        PanicRecord failing = null;
        for (LoadedModule module : registry.all()) {
            if (module.sdk().isEmpty()) {
                continue;
            }
            for (PanicRecord panic : module.sdk().get().collectPanics()) {
                boolean inCalledExport = module == called && symbol.equals(panic.export());
                boolean inAnotherExport = module != called && panic.export() != null;
                if (inCalledExport || inAnotherExport) {
                    failing = panic;
                }
            }
        }
        if (failing != null) {
            String where = failing.module().equals(called.name()) ? symbol
                    : symbol + " -> " + failing.module() + "." + failing.export();
            throw new CallError.Panicked(where, failing.summary());
        }
    }

    /** {@code sig NAME(TYPES) -> TYPE}: checks the export exists and remembers the signature. */
    ExportInfo remember(LoadedModule module, String signatureText) {
        Signature signature = structs.parse(signatureText);
        if (signature.name() == null) {
            throw new SignatureError.Malformed(signatureText, 0,
                    "name the export, e.g. sig add(i32, i32) -> i32");
        }
        // A relib name (sig main() -> u64, as a restart replays it) is kept under its raw symbol, where calls look.
        String symbol = RelibCallDispatcher.relibSymbol(module, signature.name()).orElse(signature.name());
        addressOf(module, symbol);
        checkAgainstManifest(module, symbol, signature);
        module.remember(symbol, signature);
        return Exports.describe(module, module.exports().get(symbol));
    }

    private long addressOf(LoadedModule module, String symbol) {
        long address = module.exports().containsKey(symbol) ? linker.symbol(module.handle(), symbol) : 0;
        if (address == 0) {
            throw new CallError.SymbolNotFound(module.name(), symbol);
        }
        return address;
    }

    private Signature signatureFor(LoadedModule module, String symbol, String given) {
        if (given == null) {
            return module.manifestSignature(symbol)
                    .or(() -> module.rememberedSignature(symbol))
                    .orElseThrow(() -> new CallError.NoSignature(symbol));
        }
        Signature parsed = structs.parse(given);
        if (parsed.name() != null && !parsed.name().equals(symbol)) {
            throw new SignatureError.Malformed(given, 0,
                    "it names '" + parsed.name() + "' but the call is to '" + symbol + "'");
        }
        Signature named = parsed.withName(symbol);
        checkAgainstManifest(module, symbol, named);
        return named;
    }

    /** abi_stable types travel only through relib's convention (boxed returns, success flag). */
    private static void rejectAbiStableTypes(LoadedModule module, Signature signature) {
        for (ValueType parameter : signature.parameters()) {
            rejectAbiStableType(module, parameter);
        }
        rejectAbiStableType(module, signature.returnType());
    }

    private static void rejectAbiStableType(LoadedModule module, ValueType type) {
        if (type instanceof AbiStableType) {
            throw new SignatureError.RelibTypeOutsideRelib(module.name(), type.text());
        }
    }

    /** relib itself cannot check a signature against the code; with a manifest, we can. */
    private static void checkAgainstManifest(LoadedModule module, String symbol, Signature given) {
        module.manifestSignature(symbol).ifPresent(declared -> {
            if (!declared.sameTypes(given)) {
                throw new SignatureError.Mismatch(symbol, given.canonical(), declared.canonical());
            }
        });
    }
}
