package dev.relib.shell.command;

import java.util.regex.Pattern;

/**
 * A filter on names as a user types it: a piece of the name, ignoring case, or a shell-like glob
 * when it holds {@code *} or {@code ?} (then it must match the whole name).
 *
 * @param whole the pattern must match the whole name (a glob), not a piece of it
 */
record NamePattern(Pattern pattern, boolean whole) {

    static NamePattern of(String text) {
        boolean glob = text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
        if (!glob) {
            return new NamePattern(Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE), false);
        }
        StringBuilder regex = new StringBuilder();
        for (String piece : text.split("(?=[*?])|(?<=[*?])")) {
            regex.append(switch (piece) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(piece);
            });
        }
        return new NamePattern(Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE), true);
    }

    boolean matches(String name) {
        return whole ? pattern.matcher(name).matches() : pattern.matcher(name).find();
    }
}
