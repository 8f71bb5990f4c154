package dev.relib.shell.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One module being watched.
 *
 * @param file        the module's source file (the directory holding it is what is watched)
 * @param reloads     how many reloads the watch ran, whatever their outcome
 * @param lastOutcome the outcome of the last one ({@code RELOADED}, {@code FAILED}, ...), or null
 */
public record WatchStatus(String module, Path file, Duration settle, Instant since, int reloads, String lastOutcome) {
}
