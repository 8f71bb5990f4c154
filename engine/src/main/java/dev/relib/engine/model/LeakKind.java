package dev.relib.engine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What still points at a live block, in valgrind memcheck's words, from a scan of the module's
 * writable segments, its TLS blocks (of the calling thread and of its threads still running) and
 * the live blocks themselves.
 */
public enum LeakKind {
    /** Nothing of the module points at it, nor any block that is not lost itself. */
    DEFINITELY_LOST(1, "definitely lost"),
    /** Pointed at only from lost blocks: freeing what points at it would free it too. */
    INDIRECTLY_LOST(2, "indirectly lost"),
    /** Reachable only through pointers into its interior. */
    POSSIBLY_LOST(3, "possibly lost"),
    /** A pointer to its start from the module's statics or TLS, or from a block so reached. */
    STILL_REACHABLE(4, "still reachable");

    private final int code;
    private final String words;

    LeakKind(int code, String words) {
        this.code = code;
        this.words = words;
    }

    /** The agent's RELIB_AGENT_LEAK_* value. */
    public int code() {
        return code;
    }

    /** valgrind's phrase: "definitely lost". */
    public String words() {
        return words;
    }

    /** The JSON name: {@code definitely_lost}. */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Lost blocks: what {@code unload --strict} fails on by default. */
    public boolean lost() {
        return this == DEFINITELY_LOST || this == INDIRECTLY_LOST;
    }

    public static LeakKind ofCode(int code) {
        for (LeakKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no leak kind " + code);
    }
}
