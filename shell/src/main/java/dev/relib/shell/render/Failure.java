package dev.relib.shell.render;

/**
 * Why a command failed.
 *
 * @param code     stable dotted code ({@code load.not_found}, {@code usage}, {@code unload.check_failed})
 * @param message  for a person: names the thing and what to do; one line, except a crash report
 * @param exitCode what a script exits with when this is its failure
 * @param details  a record whose fields the JSON error object carries too (a crash report), or null
 */
public record Failure(String code, String message, int exitCode, Object details) {

    public Failure(String code, String message, int exitCode) {
        this(code, message, exitCode, null);
    }
}
