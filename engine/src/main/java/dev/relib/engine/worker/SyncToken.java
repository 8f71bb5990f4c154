package dev.relib.engine.worker;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/**
 * The random part of a worker's sync markers: 128 bits, fresh for each worker, read from the
 * kernel's generator (a SecureRandom would seed from the same file after loading the JDK's
 * security providers, on the worker's way to its hello).
 */
final class SyncToken {

    private SyncToken() {
    }

    static String fresh() {
        try (InputStream random = new FileInputStream("/dev/urandom")) {
            return HexFormat.of().formatHex(random.readNBytes(16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /dev/urandom for the worker's sync token", e);
        }
    }
}
