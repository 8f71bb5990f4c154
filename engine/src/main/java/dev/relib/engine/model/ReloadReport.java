package dev.relib.engine.model;

import java.util.List;

/**
 * What a reload did.
 *
 * @param outcome        RELOADED: the new generation runs and the old was retired; FAILED: the new file
 *                       could not be loaded or validated and the old keeps running; REFUSED: the old could
 *                       not be retired (or {@code --strict} saw a changed signature), the new was discarded;
 *                       KEPT_BOTH: {@code --force} kept the old generation running as {@code keptAs}
 * @param reason         why it failed or was refused, else null
 * @param changes        what differs between the two generations (null when the new one never loaded)
 * @param retired        the old generation's unload report (null when it was not retired)
 * @param keptAs         the name the old generation runs under after {@code --force}, else null
 */
public record ReloadReport(String module, Outcome outcome, int fromGeneration, int toGeneration, String reason,
                           ReloadChanges changes, UnloadReport retired, String keptAs) {

    public enum Outcome { RELOADED, FAILED, REFUSED, KEPT_BOTH }

    public boolean reloaded() {
        return outcome == Outcome.RELOADED || outcome == Outcome.KEPT_BOTH;
    }
}
