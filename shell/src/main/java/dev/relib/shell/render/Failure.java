package dev.relib.shell.render;

/**
 * Why a command failed.
 *
 * @param code     stable dotted code ({@code load.not_found}, {@code usage}, {@code unload.check_failed})
 * @param message  one line for a person: names the thing and what to do
 * @param exitCode what a script exits with when this is its failure
 */
public record Failure(String code, String message, int exitCode) {
}
