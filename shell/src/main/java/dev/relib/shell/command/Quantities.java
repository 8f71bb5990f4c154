package dev.relib.shell.command;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Numbers as people read them: grouped digits, binary units, local times. */
final class Quantities {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private Quantities() {
    }

    /** {@code 6,000 bytes}, {@code 1,048,576 bytes (1.0 MiB)}. */
    static String bytes(long bytes) {
        String exact = String.format("%,d byte%s", bytes, bytes == 1 ? "" : "s");
        if (bytes < 1024 * 10) {
            return exact;
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return exact + String.format(" (%.1f %s)", value, units[unit]);
    }

    static String count(long n, String noun) {
        return String.format("%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }
}
