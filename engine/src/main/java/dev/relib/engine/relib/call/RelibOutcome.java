package dev.relib.engine.relib.call;

import dev.relib.engine.call.ReturnValue;

/**
 * What calling a relib export gave.
 *
 * @param value      the last call's value, read out of the module; null when it panicked
 * @param panicked   whether its success flag came back 0 (relib's None): the panic hook printed why
 * @param calls      how many calls were made, the panicking one included
 * @param totalNanos wall time of the calls, the frees of boxed values included
 */
public record RelibOutcome(ReturnValue value, boolean panicked, int calls, long totalNanos) {
}
