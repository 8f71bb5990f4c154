package dev.relib.engine.core;

import dev.relib.engine.call.Signature;
import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.call.ValueType;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.SignatureError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.relib.call.PanicOutput;
import dev.relib.engine.relib.call.RelibCall;
import dev.relib.engine.relib.call.RelibExportNames;
import dev.relib.engine.relib.call.RelibExports;
import dev.relib.engine.relib.call.RelibOutcome;
import dev.relib.engine.sdk.PanicLog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Calls a relib module's exports by their relib names ({@code main}, {@code Exports::f}) with
 * relib's success-flag convention. A panic is taken from what the module's panic hook printed
 * (the agent keeps each module's stderr), kept in the panic log, and fails the call. Owner thread only.
 */
final class RelibCallDispatcher {

    private final DynamicLinker linker;
    private final PanicLog panicLog;
    private final ThreadPanics threadPanics;

    RelibCallDispatcher(DynamicLinker linker, PanicLog panicLog, ThreadPanics threadPanics) {
        this.linker = linker;
        this.panicLog = panicLog;
        this.threadPanics = threadPanics;
    }

    /**
     * The relib export a call names by its relib name. A raw {@code __relib__} symbol is called as a
     * plain function (with the success flag as its first parameter): the way to look under relib's convention.
     */
    static Optional<String> relibSymbol(LoadedModule module, String name) {
        if (name.startsWith(RelibExportNames.PREFIX)) {
            return Optional.empty();
        }
        return module.relibExports().map(relib -> relib.symbolFor(name)).filter(s -> module.relibExports().get().isRelibExport(s));
    }

    CallResult call(LoadedModule module, RelibExports relib, String symbol, CallRequest request) {
        String name = RelibExportNames.relibName(symbol).orElse(symbol);
        Signature signature = signatureFor(module, relib, symbol, name, request.signature());
        RelibCall call = module.relibCall(symbol, signature, () -> RelibCall.compile(signature,
                linker.symbol(module.handle(), symbol),
                relib.postOf(symbol).map(post -> linker.symbol(module.handle(), post)).orElse(0L)));
        RelibOutcome outcome = call.invoke(request.arguments(), request.repeat());
        if (outcome.panicked()) {
            PanicRecord panic = panicRecord(module, name);
            panicLog.add(panic);
            throw new CallError.Panicked(name, panic.summary() + relibNote(outcome));
        }
        if (request.signature() != null) {
            module.remember(symbol, signature);
        }
        return new CallResult(module.name(), name, signature.canonical(), signature.returnType().text(),
                outcome.value().value(), outcome.value().display(), outcome.calls(), outcome.totalNanos(), null);
    }

    private static String relibNote(RelibOutcome outcome) {
        String call = outcome.calls() > 1 ? " (in call " + outcome.calls() + ")" : "";
        return call + "; relib's host would get None here, and should only unload the module now";
    }

    /**
     * A given signature is checked for its name; none given: the remembered one, or {@code ()} for
     * {@code main} and {@code before_unload} when they return by value (relib's {@code call_main::<()>}).
     */
    private static Signature signatureFor(LoadedModule module, RelibExports relib, String symbol, String name,
                                          String given) {
        if (given == null) {
            Optional<Signature> remembered = module.rememberedSignature(symbol);
            if (remembered.isPresent()) {
                return remembered.get();
            }
            boolean entry = name.equals("main") || name.equals("before_unload");
            if (entry && relib.postOf(symbol).isEmpty()) {
                return new Signature(name, List.of(), ValueType.Scalar.UNIT);
            }
            if (entry) {
                throw new CallError.RelibReturnType(name, "it returns a boxed value, and relib does not record its "
                        + "type; name it: call " + name + " -> RString (or RStr, RVec<u8>, ROption<u32>)");
            }
            throw new CallError.NoSignature(name);
        }
        Signature parsed = SignatureParser.parse(given);
        if (parsed.name() != null && !parsed.name().equals(name) && !parsed.name().equals(symbol)) {
            throw new SignatureError.Malformed(given, 0, "it names '" + parsed.name() + "' but the call is to '" + name + "'");
        }
        return parsed.withName(name);
    }

    /**
     * The last panic the module printed is the export's: its hook printed it just before the export
     * returned. Earlier ones, printed since the last look, were its threads' and are logged as such.
     */
    private PanicRecord panicRecord(LoadedModule module, String export) {
        List<PanicOutput> printed = threadPanics.take(module);
        for (PanicOutput threadPanic : printed.subList(0, Math.max(0, printed.size() - 1))) {
            panicLog.add(threadPanics.record(module, threadPanic, null));
        }
        if (printed.isEmpty()) {
            long sequence = panicLog.of(module.name()).size() + 1L;
            String why = !module.request().tracked() ? "(message not captured: the module is loaded --untracked, so its stderr is not kept)"
                    : "(the module printed no panic message: a custom panic hook?)";
            return new PanicRecord(module.name(), module.generation(), sequence, why, null, 0, 0, 0, null, export,
                    List.of(), null, Instant.now(), List.of(), List.of());
        }
        return threadPanics.record(module, printed.get(printed.size() - 1), export);
    }
}
