package dev.relib.engine.model;

import dev.relib.engine.ModuleRef;
import java.time.Duration;
import java.util.List;

/**
 * @param module    which module; implied when one is loaded
 * @param symbol    the export's raw symbol name
 * @param signature parameter and return types ({@code (i32, i32) -> i32}); null to use the known one
 * @param arguments argument texts as the user typed them, converted by the engine against the signature
 * @param repeat    how many times to call (on the owner thread, converting arguments once)
 * @param timeout   how long the call may run; null for no limit
 */
public record CallRequest(ModuleRef module, String symbol, String signature, List<String> arguments,
                          int repeat, Duration timeout) {

    public CallRequest {
        arguments = List.copyOf(arguments);
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, was " + repeat);
        }
    }

    public static CallRequest of(String symbol, String signature, String... arguments) {
        return new CallRequest(ModuleRef.implied(), symbol, signature, List.of(arguments), 1, null);
    }
}
