package dev.relib.engine.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the worker JVM's fatal-error log ({@code hs_err_pid<PID>.log} in the worker's directory)
 * says about a crash in native code. The same facts head the banner on stdout, but a module that
 * closed fds 1 and 2 first leaves only the file, and the file also has the fault address and the
 * native frames, for a crash report that outlives the worker.
 *
 * @param signal           {@code SIGSEGV}, {@code SIGBUS}, ...
 * @param problematicFrame the frame the JVM blames: {@code C  [libcrashy.so+0x1135]  crash_null+0x5}
 * @param faultAddress     {@code si_addr}, the address the access faulted on, or null
 * @param nativeFrames     the "Native frames" section, innermost first, as the JVM printed them
 */
record JvmCrashLog(String signal, String problematicFrame, String faultAddress, List<String> nativeFrames) {

    /** More than any log the JVM writes for one crash; what is past it is not read. */
    private static final int MAX_BYTES = 4 << 20;
    private static final Pattern SIGNAL = Pattern.compile("^#\\s+(SIG[A-Z]+) \\(0x[0-9a-f]+\\)", Pattern.MULTILINE);
    private static final Pattern FAULT = Pattern.compile("si_addr: (0x[0-9a-fA-F]+)");
    private static final Pattern FRAME = Pattern.compile("^# Problematic frame:\\n#\\s*(.+)$", Pattern.MULTILINE);

    JvmCrashLog {
        nativeFrames = List.copyOf(nativeFrames);
    }

    /** The log the worker with {@code pid} wrote into {@code directory}, if it wrote one. */
    static Optional<JvmCrashLog> read(Path directory, long pid) {
        Path file = directory.resolve("hs_err_pid" + pid + ".log");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<JvmCrashLog> parse(String text) {
        Matcher signal = SIGNAL.matcher(text);
        if (!signal.find()) {
            return Optional.empty();
        }
        Matcher frame = FRAME.matcher(text);
        Matcher fault = FAULT.matcher(text);
        return Optional.of(new JvmCrashLog(signal.group(1), frame.find() ? frame.group(1).strip() : null,
                fault.find() ? fault.group(1) : null, nativeFrames(text)));
    }

    private static List<String> nativeFrames(String text) {
        List<String> frames = new ArrayList<>();
        int start = text.indexOf("\nNative frames:");
        if (start < 0) {
            return frames;
        }
        for (String line : text.substring(start + 1).lines().skip(1).toList()) {
            if (line.isBlank() || frames.size() == 64) {
                break;
            }
            frames.add(line.strip());
        }
        return frames;
    }
}
