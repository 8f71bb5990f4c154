package dev.relib.engine.core;

import dev.relib.engine.model.EarlierGenerations;
import dev.relib.engine.model.GenerationReport.RetiredGeneration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The generations each module retired by reloads, by module id: the latest {@link #KEPT} one by
 * one, older ones folded into {@link EarlierGenerations} (each kept one holds its leak summary,
 * about 330 bytes, and {@code allocs --by generation} printed a row for each of 3,000 reloads).
 * Owner thread only.
 */
final class GenerationHistory {

    static final int KEPT = 100;

    private final Map<Integer, Retired> retired = new HashMap<>();

    /** One module's. */
    private static final class Retired {
        final ArrayDeque<RetiredGeneration> latest = new ArrayDeque<>();
        EarlierGenerations earlier;
    }

    void retired(int moduleId, RetiredGeneration generation) {
        Retired module = retired.computeIfAbsent(moduleId, id -> new Retired());
        module.latest.addLast(generation);
        if (module.latest.size() > KEPT) {
            RetiredGeneration oldest = module.latest.removeFirst();
            module.earlier = module.earlier == null ? EarlierGenerations.of(oldest) : module.earlier.plus(oldest);
        }
    }

    /** The latest retired generations, oldest first. */
    List<RetiredGeneration> of(int moduleId) {
        Retired module = retired.get(moduleId);
        return module == null ? List.of() : List.copyOf(module.latest);
    }

    /** Those older than {@link #of}'s, folded; null when there are none. */
    EarlierGenerations earlierOf(int moduleId) {
        Retired module = retired.get(moduleId);
        return module == null ? null : module.earlier;
    }

    void forget(int moduleId) {
        retired.remove(moduleId);
    }
}
