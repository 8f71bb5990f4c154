package dev.relib.engine.core;

import dev.relib.engine.model.GenerationReport.RetiredGeneration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The generations each module retired by reloads, by module id. Owner thread only. */
final class GenerationHistory {

    private final Map<Integer, List<RetiredGeneration>> retired = new HashMap<>();

    void retired(int moduleId, RetiredGeneration generation) {
        retired.computeIfAbsent(moduleId, id -> new ArrayList<>()).add(generation);
    }

    List<RetiredGeneration> of(int moduleId) {
        return List.copyOf(retired.getOrDefault(moduleId, List.of()));
    }

    void forget(int moduleId) {
        retired.remove(moduleId);
    }
}
