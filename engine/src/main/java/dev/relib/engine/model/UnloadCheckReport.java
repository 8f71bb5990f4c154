package dev.relib.engine.model;

import java.util.List;

/** The unload dry run: what {@code unload} would meet, with nothing changed. */
public record UnloadCheckReport(String module, List<CheckFinding> findings) {

    public UnloadCheckReport {
        findings = List.copyOf(findings);
    }

    public boolean wouldUnload() {
        return findings.stream().noneMatch(CheckFinding::blocking);
    }
}
