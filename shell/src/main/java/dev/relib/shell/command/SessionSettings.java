package dev.relib.shell.command;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code set} changes: defaults that last for the rest of the session. */
public final class SessionSettings {

    /** The names {@code set} accepts, in the order {@code set} lists them. */
    public static final List<String> NAMES = List.of("timeout", "load-timeout");

    private Duration callTimeout;
    private Duration loadTimeout = dev.relib.engine.model.LoadRequest.DEFAULT_TIMEOUT;

    /** How long a call may run when it gives no {@code --timeout}; null for no limit. */
    public Duration callTimeout() {
        return callTimeout;
    }

    public void callTimeout(Duration timeout) {
        this.callTimeout = timeout;
    }

    /** How long a load may run when it gives no {@code --timeout}; null for no limit. */
    public Duration loadTimeout() {
        return loadTimeout;
    }

    public void loadTimeout(Duration timeout) {
        this.loadTimeout = timeout;
    }

    /** Each setting's current value as {@code set} shows it ({@code off} for no limit). */
    public Map<String, String> shown() {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("timeout", callTimeout == null ? "off" : show(callTimeout));
        shown.put("load-timeout", loadTimeout == null ? "off" : show(loadTimeout));
        return shown;
    }

    private static String show(Duration duration) {
        if (duration.toNanos() % 1_000_000 != 0) {
            return duration.toNanos() + "ns";
        }
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** Lets completion offer the setting names. */
    public static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }
}
