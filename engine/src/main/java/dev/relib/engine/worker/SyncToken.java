package dev.relib.engine.worker;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The random part of a worker's sync markers: 128 bits, fresh for each worker. */
final class SyncToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SyncToken() {
    }

    static String fresh() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
