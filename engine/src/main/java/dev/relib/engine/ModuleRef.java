package dev.relib.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a user names a module: its name, {@code #id}, or nothing (implied when exactly one module is
 * loaded). Resolution happens in the engine, which knows what is loaded.
 */
public record ModuleRef(String text) {

    private static final ModuleRef IMPLIED = new ModuleRef(null);

    @JsonCreator
    public static ModuleRef of(String text) {
        return text == null || text.isBlank() ? IMPLIED : new ModuleRef(text.strip());
    }

    public static ModuleRef implied() {
        return IMPLIED;
    }

    public static ModuleRef id(int id) {
        return new ModuleRef("#" + id);
    }

    public boolean isImplied() {
        return text == null;
    }

    /** The id when written as {@code #N}, else -1. */
    public int idOrMinusOne() {
        if (text == null || !text.startsWith("#")) {
            return -1;
        }
        try {
            return Integer.parseInt(text.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @JsonValue
    @Override
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text == null ? "(implied)" : text;
    }
}
