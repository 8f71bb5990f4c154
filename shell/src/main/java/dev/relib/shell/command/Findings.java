package dev.relib.shell.command;

import dev.relib.engine.model.CheckFinding;
import java.util.List;

/** Check findings as table rows, the same for both checks. */
final class Findings {

    static final List<String> HEADERS = List.of("SEVERITY", "CODE", "FINDING");

    private Findings() {
    }

    static List<List<String>> rows(List<CheckFinding> findings) {
        return findings.stream()
                .map(f -> List.of(f.severity().name().toLowerCase(), f.code(), f.message()))
                .toList();
    }

    static String firstBlocking(List<CheckFinding> findings) {
        return findings.stream().filter(CheckFinding::blocking).map(CheckFinding::message).findFirst().orElse("");
    }
}
