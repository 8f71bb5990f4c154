package dev.relib.shell.parse;

/**
 * One command as written in a script or on a line, comments removed.
 *
 * @param text the command's raw text (quotes and escapes still in place)
 * @param line 1-based line of the script it starts on
 */
public record CommandText(String text, int line) {
}
