package dev.relib.engine.model;

/**
 * One finding of a check (before load, or an unload dry run).
 *
 * @param code     stable identifier ({@code already_loaded}, {@code needed_unresolved}, {@code nodelete}, ...)
 * @param severity whether it stops the operation
 * @param message  one sentence for a person
 */
public record CheckFinding(String code, Severity severity, String message) {

    public enum Severity { INFO, WARNING, BLOCKING }

    public boolean blocking() {
        return severity == Severity.BLOCKING;
    }
}
