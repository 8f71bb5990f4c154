package dev.relib.engine.core;

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
        try (PreparedArguments arguments = compiled.prepare(request.arguments())) {
            outcome = compiled.invoke(arguments, request.repeat());
        }
        if (request.signature() != null) {
            module.remember(symbol, signature);
        }
        return new CallResult(module.name(), symbol, signature.canonical(), signature.returnType().text(),
                outcome.value().value(), outcome.value().display(), request.repeat(), outcome.totalNanos());
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
