package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.model.SymbolLocation;
import dev.relib.shell.UsageException;
import dev.relib.shell.parse.CallTarget;
import dev.relib.shell.values.ValueHistory;
import java.math.BigInteger;

/**
 * Where {@code x}, {@code print}, {@code read} and {@code write} look: an address ({@code 0x7f..},
 * decimal), a kept value ({@code $2}), or a symbol ({@code values.COUNTER}, {@code COUNTER} with one
 * module loaded), each optionally followed by {@code +OFFSET}.
 */
final class MemoryTargets {

    /**
     * @param symbol the symbol found, or null when an address or value was given
     * @param size   the symbol's {@code st_size}, 0 when unknown
     */
    record Located(long address, String symbol, long size) {
    }

    private MemoryTargets() {
    }

    static Located resolve(String text, SessionContext session) {
        String base = text.strip();
        long offset = 0;
        int plus = base.lastIndexOf('+');
        if (plus > 0) {
            offset = number(base.substring(plus + 1), text);
            base = base.substring(0, plus);
        }
        if (ValueHistory.isReference(base)) {
            ValueHistory.Kept kept = session.values().resolve(base);
            if (!(kept.value() instanceof Number number) || kept.value() instanceof Double) {
                throw new UsageException(base + " is " + kept.display() + ", not an address");
            }
            long address = number instanceof BigInteger big ? big.longValue() : number.longValue();
            return new Located(address + offset, null, 0);
        }
        if (!base.isEmpty() && Character.isDigit(base.charAt(0))) {
            return new Located(number(base, text) + offset, null, 0);
        }
        Engine engine = session.engine();
        CallTarget target = CallTargets.parse(base, engine);
        SymbolLocation location = engine.locateSymbol(target.module(), target.symbol());
        return new Located(location.address() + offset, location.module() + "." + location.symbol(),
                offset == 0 ? location.size() : 0);
    }

    private static long number(String digits, String whole) {
        try {
            return Addresses.parse(digits);
        } catch (UsageException e) {
            throw new UsageException("'" + whole + "' is not an address, $N or symbol; write 0x7f12..., $1, MOD.SYMBOL"
                    + " or any of them +OFFSET");
        }
    }
}
