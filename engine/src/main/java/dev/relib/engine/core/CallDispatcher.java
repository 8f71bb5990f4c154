package dev.relib.engine.core;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.call.CallOutcome;
import dev.relib.engine.call.CompiledCall;
import dev.relib.engine.call.PreparedArguments;
import dev.relib.engine.call.Signature;
import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.SignatureError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.ExportInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a call's module, symbol and signature, and runs it. Signatures are parsed and compiled
 * once per module, symbol and signature; arguments are converted once per request, however many
 * times {@code --repeat} calls. Runs on the owner thread.
 */
final class CallDispatcher {

    private final ModuleRegistry registry;
    private final DynamicLinker linker;

    CallDispatcher(ModuleRegistry registry, DynamicLinker linker) {
        this.registry = registry;
        this.linker = linker;
    }

    CallResult call(CallRequest request) {
        LoadedModule module = registry.resolve(request.module());
        String symbol = request.symbol();
        long address = addressOf(module, symbol);
        Signature signature = signatureFor(module, symbol, request.signature());
        CompiledCall compiled = module.compiled(symbol, signature, address);
        CallOutcome outcome;
        try (PreparedArguments arguments = compiled.prepare(resolveSymbolAddresses(request.arguments()))) {
            outcome = compiled.invoke(arguments, request.repeat());
        }
        if (request.signature() != null) {
            module.remember(symbol, signature);
        }
        return new CallResult(module.name(), symbol, signature.canonical(), signature.returnType().text(),
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
            resolved.add("0x" + Long.toHexString(addressOf(owner, dot > 0 ? reference.substring(dot + 1) : reference)));
        }
        return resolved;
    }

    /** {@code sig NAME(TYPES) -> TYPE}: checks the export exists and remembers the signature. */
    ExportInfo remember(LoadedModule module, String signatureText) {
        Signature signature = SignatureParser.parse(signatureText);
        if (signature.name() == null) {
            throw new SignatureError.Malformed(signatureText, 0,
                    "name the export, e.g. sig add(i32, i32) -> i32");
        }
        addressOf(module, signature.name());
        module.remember(signature.name(), signature);
        return Exports.describe(module, module.exports().get(signature.name()));
    }

    private long addressOf(LoadedModule module, String symbol) {
        long address = module.exports().containsKey(symbol) ? linker.symbol(module.handle(), symbol) : 0;
        if (address == 0) {
            throw new CallError.SymbolNotFound(module.name(), symbol);
        }
        return address;
    }

    private static Signature signatureFor(LoadedModule module, String symbol, String given) {
        if (given == null) {
            return module.rememberedSignature(symbol).orElseThrow(() -> new CallError.NoSignature(symbol));
        }
        Signature parsed = SignatureParser.parse(given);
        if (parsed.name() != null && !parsed.name().equals(symbol)) {
            throw new SignatureError.Malformed(given, 0,
                    "it names '" + parsed.name() + "' but the call is to '" + symbol + "'");
        }
        return parsed.withName(symbol);
    }
}
