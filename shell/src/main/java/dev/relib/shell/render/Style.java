package dev.relib.shell.render;

import java.util.Map;

/** ANSI styling, or none: none when {@code NO_COLOR} is set (no-color.org) or output is not a terminal. */
public record Style(boolean enabled) {

    public static Style detect(Map<String, String> env, boolean outputIsTerminal) {
        String noColor = env.get("NO_COLOR");
        boolean disabled = noColor != null && !noColor.isEmpty();
        return new Style(outputIsTerminal && !disabled && !"dumb".equals(env.get("TERM")));
    }

    public static Style plain() {
        return new Style(false);
    }

    public String bold(String text) {
        return wrap("1", text);
    }

    public String red(String text) {
        return wrap("31", text);
    }

    public String green(String text) {
        return wrap("32", text);
    }

    public String yellow(String text) {
        return wrap("33", text);
    }

    public String dim(String text) {
        return wrap("2", text);
    }

    private String wrap(String code, String text) {
        return enabled ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
