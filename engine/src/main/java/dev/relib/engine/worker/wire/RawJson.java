package dev.relib.engine.worker.wire;

/**
 * One value's JSON text, kept unread: a response's result, which only the request's sender knows
 * the type of. Written as it is; read as the text of whatever value stands there.
 */
public record RawJson(String text) {

    public static final RawJson NULL = new RawJson("null");
}
