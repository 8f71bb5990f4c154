package dev.relib.engine.core;

import dev.relib.engine.call.CompiledCall;
import dev.relib.engine.call.Signature;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine's compiled signatures, for every module and generation: each generation compiled
 * its exports' signatures again at its first call of each, 4% of a leak-and-reload cycle (the
 * canonical text, jffi's types, the route, all built by streams). Holds the latest {@value #LIMIT}
 * signatures; a session that calls more starts again. Used on the owner thread only.
 */
final class CompiledSignatures {

    private static final int LIMIT = 1024;

    private final Map<Signature, CompiledCall> bySignature = new HashMap<>();

    /** {@code signature} compiled, bound to {@code address}; compiled once while it is held here. */
    CompiledCall at(Signature signature, long address) {
        CompiledCall compiled = bySignature.get(signature);
        if (compiled != null) {
            return compiled.at(address);
        }
        if (bySignature.size() >= LIMIT) {
            bySignature.clear();
        }
        compiled = CompiledCall.compile(signature, address);
        bySignature.put(signature, compiled);
        return compiled;
    }
}
