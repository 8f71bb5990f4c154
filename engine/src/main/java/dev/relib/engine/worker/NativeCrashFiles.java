package dev.relib.engine.worker;

import dev.relib.engine.model.NativeCrash;
import dev.relib.engine.model.Signals;
import dev.relib.engine.process.Mapping;
import dev.relib.engine.process.ProcessMaps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what a dead worker left in its private directory about a native crash: the agent's crash
 * file (written by its signal handler, {@code crash.c}: the stack walked from the faulting
 * registers, and the maps), else the JVM's fatal-error log ({@code hs_err_pid*.log}: siginfo, the
 * "Native frames" the JVM walked, and "Dynamic libraries", which are the maps). Read before the
 * directory is removed; a file that is absent or unreadable gives nothing, never an exception.
 */
final class NativeCrashFiles {

    /** The agent reads this variable (crash.c); the worker's start sets it to {@link #CRASH_FILE}. */
    static final String CRASH_FILE_VARIABLE = "RELIB_CRASH_FILE";
    static final String CRASH_FILE = "crash.txt";
    static final String AGENT_SOURCE = "relib agent";
    static final String JVM_SOURCE = "JVM fatal error log";

    private static final Pattern SIGINFO = Pattern.compile(
            "siginfo: si_signo: (\\d+) \\(\\w+\\), si_code: (-?\\d+)(?: \\([^)]*\\))?(?:, si_addr: (0x[0-9a-f]+))?.*");
    private static final Pattern CURRENT_THREAD = Pattern.compile(
            "Current thread \\([^)]*\\):\\s+\\w+ \"([^\"]*)\".*\\bid=(\\d+).*");
    private static final Pattern PC = Pattern.compile("#\\s+SIG\\w+ \\(0x[0-9a-f]+\\) at pc=(0x[0-9a-f]+).*");
    private static final Pattern NATIVE_FRAME = Pattern.compile("C\\s+\\[([^+\\]]+)\\+(0x[0-9a-f]+)\\].*");
    private static final Pattern NATIVE_ADDRESS = Pattern.compile("C\\s+(0x[0-9a-f]+).*");

    private NativeCrashFiles() {
    }

    /**
     * The crash in {@code directory}: the agent's file when it wrote one, except for an abort the
     * JVM raised after logging a fatal signal of its own (then the log describes the crash).
     */
    static Optional<NativeCrash> read(Path directory) {
        Optional<NativeCrash> agent = agentFile(directory.resolve(CRASH_FILE));
        Optional<NativeCrash> jvm = fatalErrorLog(directory);
        if (agent.isPresent() && jvm.isPresent() && agent.get().signalNumber() == Signals.number("SIGABRT")
                && jvm.get().signalNumber() != Signals.number("SIGABRT")) {
            return jvm;
        }
        return agent.isPresent() ? agent : jvm;
    }

    /** The agent's crash file: see crash.c for its format. */
    static Optional<NativeCrash> agentFile(Path file) {
        List<String> lines = lines(file);
        if (lines.isEmpty() || !lines.get(0).equals("relib-crash 1")) {
            return Optional.empty();
        }
        int signal = 0;
        int code = 0;
        Long address = null;
        long pc = 0;
        long tid = 0;
        String thread = null;
        boolean complete = true;
        List<Long> frames = new ArrayList<>();
        int maps = lines.size();
        try {
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.equals("maps")) {
                    maps = i + 1;
                    break;
                }
                int space = line.indexOf(' ');
                String key = space < 0 ? line : line.substring(0, space);
                String value = space < 0 ? "" : line.substring(space + 1);
                switch (key) {
                    case "signal" -> signal = Integer.parseInt(value);
                    case "code" -> code = Integer.parseInt(value);
                    case "address" -> address = number(value);
                    case "pc" -> pc = number(value);
                    case "tid" -> tid = Long.parseLong(value);
                    case "thread" -> thread = value.isBlank() ? null : value.strip();
                    case "frame" -> frames.add(number(value));
                    case "incomplete" -> complete = false;
                    default -> {
                        // pid, and facts a newer agent adds.
                    }
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (signal == 0) {
            return Optional.empty();
        }
        List<Mapping> mappings = ProcessMaps.parseLines(lines.subList(maps, lines.size()));
        return Optional.of(new NativeCrash(AGENT_SOURCE, signal, code, address, pc, frames, complete, tid, thread,
                List.of(), mappings, Map.of()));
    }

    /** The newest {@code hs_err_pid*.log} in the directory. */
    static Optional<NativeCrash> fatalErrorLog(Path directory) {
        Optional<Path> log;
        try (Stream<Path> files = Files.list(directory)) {
            log = files.filter(f -> f.getFileName().toString().matches("hs_err_pid\\d+\\.log"))
                    .max((a, b) -> a.toFile().lastModified() < b.toFile().lastModified() ? -1 : 1);
        } catch (IOException e) {
            return Optional.empty();
        }
        return log.flatMap(NativeCrashFiles::parseFatalErrorLog);
    }

    static Optional<NativeCrash> parseFatalErrorLog(Path log) {
        List<String> lines = lines(log);
        int signal = 0;
        int code = 0;
        Long address = null;
        long pc = 0;
        long tid = 0;
        String thread = null;
        List<String> nativeFrames = new ArrayList<>();
        List<String> javaFrames = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m;
            if ((m = SIGINFO.matcher(line)).matches()) {
                signal = Integer.parseInt(m.group(1));
                code = Integer.parseInt(m.group(2));
                address = m.group(3) == null ? null : number(m.group(3));
            } else if ((m = PC.matcher(line)).matches()) {
                pc = number(m.group(1));
            } else if (thread == null && (m = CURRENT_THREAD.matcher(line)).matches()) {
                thread = m.group(1);
                tid = Long.parseLong(m.group(2));
            } else if (line.startsWith("Native frames:") && nativeFrames.isEmpty()) {
                for (i++; i < lines.size() && !lines.get(i).isBlank(); i++) {
                    String frame = lines.get(i);
                    (frame.startsWith("C ") ? nativeFrames : javaFrames).add(frame.strip());
                }
            } else if (line.startsWith("Dynamic libraries:")) {
                String first = line.substring("Dynamic libraries:".length());
                if (!first.isBlank()) {
                    maps.add(first);
                }
                for (i++; i < lines.size() && !lines.get(i).isBlank(); i++) {
                    maps.add(lines.get(i));
                }
            }
        }
        if (signal == 0) {
            return Optional.empty();
        }
        List<Mapping> mappings = ProcessMaps.parseLines(maps);
        List<Long> frames = new ArrayList<>();
        for (String frame : nativeFrames) {
            Long at = frameAddress(frame, mappings);
            if (at != null) {
                frames.add(at);
            }
        }
        if (pc == 0 && !frames.isEmpty()) {
            pc = frames.get(0);
        }
        // The first native frame is the faulting pc itself; the rest are return addresses.
        if (!frames.isEmpty() && frames.get(0) == pc) {
            frames.remove(0);
        }
        return Optional.of(new NativeCrash(JVM_SOURCE, signal, code, address, pc, frames, false, tid, thread,
                javaFrames, mappings, Map.of()));
    }

    /** {@code C  [libfoo.so+0x1a2b]  f+0x10}: the library's load address (its offset-0 mapping) plus the offset. */
    private static Long frameAddress(String frame, List<Mapping> mappings) {
        Matcher m = NATIVE_FRAME.matcher(frame);
        if (m.matches()) {
            String library = m.group(1);
            long offset = number(m.group(2));
            return mappings.stream().filter(map -> map.offset() == 0 && map.isFile() && library.equals(fileName(map)))
                    .map(map -> map.start() + offset).findFirst().orElse(null);
        }
        m = NATIVE_ADDRESS.matcher(frame);
        return m.matches() ? number(m.group(1)) : null;
    }

    private static String fileName(Mapping mapping) {
        return mapping.path().substring(mapping.path().lastIndexOf('/') + 1);
    }

    private static long number(String text) {
        String t = text.strip();
        return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    }

    private static List<String> lines(Path file) {
        try {
            return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
