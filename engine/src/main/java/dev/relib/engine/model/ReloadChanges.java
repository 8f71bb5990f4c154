package dev.relib.engine.model;

import java.util.List;

/**
 * How the new generation differs from the old: exports added and removed, exports whose known
 * signature changed, and the file itself.
 */
public record ReloadChanges(List<String> exportsAdded, List<String> exportsRemoved,
                            List<SignatureChange> signaturesChanged, long oldSize, long newSize,
                            String oldBuildId, String newBuildId, boolean sameContent) {

    public ReloadChanges {
        exportsAdded = List.copyOf(exportsAdded);
        exportsRemoved = List.copyOf(exportsRemoved);
        signaturesChanged = List.copyOf(signaturesChanged);
    }

    public record SignatureChange(String symbol, String before, String after) {
    }
}
