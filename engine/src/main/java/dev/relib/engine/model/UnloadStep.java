package dev.relib.engine.model;

/**
 * One step of the unload pipeline as it ran.
 *
 * @param name    stable step name ({@code before_unload}, {@code threads}, {@code tls_destructors},
 *                {@code free_leaks}, {@code unmap_leaks}, {@code close_fds}, {@code dlclose}, {@code final_check})
 * @param outcome what happened
 * @param detail  one line for a person
 */
public record UnloadStep(String name, Outcome outcome, String detail) {

    public enum Outcome { PASSED, SKIPPED, WARNED, FAILED }
}
