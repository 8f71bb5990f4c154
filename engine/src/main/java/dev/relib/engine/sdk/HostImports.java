package dev.relib.engine.sdk;

import dev.relib.engine.call.Signature;
import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.error.SignatureError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the host offers SDK imports: stubs the user defined (first), then the built-ins
 * {@code log(u32, &str)} and {@code now_ns() -> u64}. Name and types must both match.
 */
public final class HostImports {

    private static final Signature LOG = SignatureParser.parse("log(u32, &str)");
    private static final Signature NOW_NS = SignatureParser.parse("now_ns() -> u64");

    private final ImportStubs stubs;
    private final HostLog log;

    public HostImports(ImportStubs stubs, HostLog log) {
        this.stubs = stubs;
        this.log = log;
    }

    HostLog log() {
        return log;
    }

    /** The function bound to an import the module declares as {@code entry}, if any. */
    Optional<HostFunction> bind(String module, String entry) {
        Signature declared;
        try {
            declared = SignatureParser.parse(entry);
        } catch (SignatureError e) {
            return Optional.empty();
        }
        if (declared.name() == null) {
            return Optional.empty();
        }
        Optional<HostFunction> stub = stubs.named(declared.name())
                .filter(defined -> defined.signature().sameTypes(declared))
                .map(HostFunction.Stub::new);
        if (stub.isPresent()) {
            return stub;
        }
        if (declared.name().equals(LOG.name()) && declared.sameTypes(LOG)) {
            return Optional.of(new HostFunction.Log(module, log));
        }
        if (declared.name().equals(NOW_NS.name()) && declared.sameTypes(NOW_NS)) {
            return Optional.of(new HostFunction.Clock());
        }
        return Optional.empty();
    }

    /** The import entries nothing binds, in manifest order. */
    public List<String> unbound(String module, List<String> entries) {
        List<String> missing = new ArrayList<>();
        for (String entry : entries) {
            if (bind(module, entry).isEmpty()) {
                missing.add(entry);
            }
        }
        return missing;
    }
}
