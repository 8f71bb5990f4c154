package dev.relib.engine.model;

/**
 * A value read from (or just written to) memory.
 *
 * @param type    the canonical type it was read as
 * @param address where it lies
 * @param value   JSON-friendly data, as a call's return value
 * @param display as the shell shows it
 */
public record TypedValue(String type, long address, Object value, String display) {
}
