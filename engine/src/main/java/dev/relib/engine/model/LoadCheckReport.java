package dev.relib.engine.model;

import java.nio.file.Path;
import java.util.List;

/**
 * The before-load checks for a file.
 *
 * @param path              the file checked
 * @param needed            its {@code DT_NEEDED} entries
 * @param unresolvedNeeded  entries no library search path resolves
 * @param findings          everything found, blocking or not
 * @param relib             a relib module's compilation info, read from the file; null for other kinds
 */
public record LoadCheckReport(Path path, String rustcVersion, List<String> needed, List<String> unresolvedNeeded,
                              List<CheckFinding> findings, RelibInfo relib) {

    public LoadCheckReport(Path path, String rustcVersion, List<String> needed, List<String> unresolvedNeeded,
                           List<CheckFinding> findings) {
        this(path, rustcVersion, needed, unresolvedNeeded, findings, null);
    }

    public LoadCheckReport {
        needed = List.copyOf(needed);
        unresolvedNeeded = List.copyOf(unresolvedNeeded);
        findings = List.copyOf(findings);
    }

    public boolean ok() {
        return findings.stream().noneMatch(CheckFinding::blocking);
    }
}
