package dev.relib.engine.model;

/**
 * @param module       the module's name
 * @param symbol       the export called
 * @param signature    the canonical signature used
 * @param returnType   canonical return type text ({@code ()} for none)
 * @param value        the returned value as JSON-friendly data: Long, BigInteger (u64 above 2^63), Double,
 *                     Boolean, String (for strings and char), or null (unit, null pointer)
 * @param display      the value as the shell shows it ({@code "Many"}, {@code 42}, {@code 0x7f12...})
 * @param repeat       how many calls were made
 * @param totalNanos   wall time of all calls together, on the owner thread
 * @param reloadedFirst the reload a {@code load --lazy-reload} module went through before this call
 *                     because its file had changed, or null
 */
public record CallResult(String module, String symbol, String signature, String returnType, Object value,
                         String display, int repeat, long totalNanos, ReloadReport reloadedFirst) {

    public double nanosPerCall() {
        return (double) totalNanos / repeat;
    }
}
