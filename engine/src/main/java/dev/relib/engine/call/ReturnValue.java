package dev.relib.engine.call;

/**
 * A decoded return value.
 *
 * @param value   JSON-friendly data: Long, BigInteger (u64/usize above Long.MAX_VALUE), Double, Boolean,
 *                String (str, C string, char; byte slices as {@code hex:...}), or null (unit, null pointer)
 * @param display what the shell prints: {@code 42}, {@code 18446744073709551615}, {@code 3.5}, {@code true},
 *                {@code 'x'}, {@code "Many"}, {@code b"\x7fELF"}, {@code 0x7f3a2c001000}, {@code null}, {@code ()}
 */
public record ReturnValue(Object value, String display) {
}
