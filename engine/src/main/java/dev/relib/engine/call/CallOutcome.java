package dev.relib.engine.call;

/**
 * @param value      the last call's return value, decoded once after all calls
 * @param totalNanos wall time of all calls together, measured around the call loop only
 */
public record CallOutcome(ReturnValue value, long totalNanos) {
}
