package dev.relib.shell;

import dev.relib.engine.Engine;
import dev.relib.engine.model.CrashReport;
import dev.relib.inspectors.crash.CrashBacktrace;
import dev.relib.inspectors.symbols.ObjectKey;
import dev.relib.inspectors.symbols.SymbolCache;
import dev.relib.inspectors.symbols.Symbolizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The session's symbolizer, so each object's tables (and each DWARF unit read) are read once per
 * session, not once per command; and the crash of the worker, symbolized when it is first seen and
 * kept, with the crashed modules' symbols, until {@code restart}: what {@code bt} and
 * {@code symbol} answer from after the worker died.
 */
public final class SessionSymbols {

    private final Symbolizer symbolizer = new Symbolizer(new SymbolCache());
    private CrashReport crashSeen;
    private CrashBacktrace crashBacktrace;
    private final List<ObjectKey> retained = new ArrayList<>();

    public Symbolizer symbolizer() {
        return symbolizer;
    }

    /**
     * The backtrace of {@code report}'s native crash, symbolized on first use (the modules' symbols
     * are retained then, before their files can go); empty when the crash left no native facts.
     */
    public synchronized Optional<CrashBacktrace> crash(CrashReport report) {
        if (report.nativeCrash() == null) {
            return Optional.empty();
        }
        if (report != crashSeen) {
            forgetCrash();
            for (String file : report.nativeCrash().moduleFiles().keySet()) {
                retain(Path.of(file));
            }
            crashSeen = report;
            crashBacktrace = CrashBacktrace.of(report.nativeCrash(), symbolizer);
        }
        return Optional.of(crashBacktrace);
    }

    /** The crash of the engine's process, while it is kept (until restart); see {@link #crash(CrashReport)}. */
    public synchronized Optional<CrashBacktrace> crashOf(Engine engine) {
        Optional<CrashReport> report = engine.lastCrash();
        if (report.isEmpty()) {
            forgetCrash();
            return Optional.empty();
        }
        return crash(report.get());
    }

    private void retain(Path file) {
        if (Files.isRegularFile(file)) {
            try {
                retained.add(symbolizer.cache().retain(file));
            } catch (RuntimeException e) {
                // Unreadable now: its frames say so; the rest of the report stands.
            }
        }
    }

    private void forgetCrash() {
        retained.forEach(symbolizer.cache()::release);
        retained.clear();
        crashSeen = null;
        crashBacktrace = null;
    }
}
