package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The shell as a program of its own ({@code java dev.relib.shell.Main}), its standard input a pipe
 * this test writes to and keeps open, its output read line by line as it comes: how a program
 * drives the shell, and the only way to send it real signals.
 */
final class ShellProcess implements AutoCloseable {

    /** How long an answer may take to come: it comes at once or, with stdin read to its end first, never. */
    static final Duration ANSWER = Duration.ofSeconds(60);
    /** What this machine can do, each asked once: null until then. */
    private static Boolean terminals;
    private static Boolean envSignals;

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<String> stdoutSeen = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private ShellProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), line -> {
            stdoutSeen.add(line);
            stdout.add(line);
        }, "stdout");
        pump(process.getErrorStream(), stderr::add, "stderr");
    }

    /** Starts the shell with {@code args}, HOME (its history) in {@code home}. */
    static ShellProcess start(Path home, String... args) throws IOException {
        return start(home, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, the shell's JVM given {@code jvmOptions} too. */
    static ShellProcess start(Path home, List<String> jvmOptions, String... args) throws IOException {
        return start(home, shellCommand(jvmOptions, args));
    }

    /**
     * The shell in a terminal of its own: util-linux {@code script} runs it on a new pseudo-terminal
     * and passes what this test writes to it as typed keys, so byte 3 is Ctrl-C, turned into
     * SIGINT for the terminal's foreground process group by the kernel, as in a real terminal.
     */
    static ShellProcess inTerminal(Path home, String... args) throws IOException {
        return inTerminal(home, List.of(), args);
    }

    /**
     * As {@link #inTerminal(Path, String...)}, the shell started through {@code launcher} (words put
     * before its command line inside the terminal, e.g. {@code env --ignore-signal=INT}).
     */
    static ShellProcess inTerminal(Path home, List<String> launcher, String... args) throws IOException {
        // script(1) runs the line with $SHELL -c (start sets it to /bin/sh on every machine); exec
        // makes the shell script's only child, as a terminal's shell runs a program in the foreground.
        // Without it a dash in between takes the SIGINT of a Ctrl-C too and exits 130 after the shell quits.
        StringBuilder line = new StringBuilder("exec");
        List<String> words = new ArrayList<>(launcher);
        words.addAll(shellCommand(List.of(), args));
        for (String word : words) {
            line.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        return start(home, List.of("script", "-qfec", line.toString(), "/dev/null"));
    }

    /**
     * Whether {@link #inTerminal} can run here: util-linux's script(1) is installed and can open a
     * pseudo-terminal (a container without devpts cannot). Asked once; a no is printed once.
     */
    static synchronized boolean terminalsAvailable() {
        if (terminals == null) {
            terminals = succeeds(List.of("script", "-qfec", "true", "/dev/null"));
            if (!terminals) {
                System.out.println("ShellProcess: tests on a pseudo-terminal skipped: script(1) (util-linux) is missing"
                        + " or cannot open a pseudo-terminal here");
            }
        }
        return terminals;
    }

    /** Whether coreutils' env(1) here sets signal dispositions (--default-signal, --ignore-signal: 8.31 on). */
    static synchronized boolean envSetsSignals() {
        if (envSignals == null) {
            envSignals = succeeds(List.of("env", "--default-signal=INT", "--ignore-signal=QUIT", "true"));
        }
        return envSignals;
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> shellCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        String agent = System.getProperty("relib.agent.path");
        if (agent != null) {
            command.add("-Drelib.agent.path=" + agent);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.relib.shell.Main"));
        command.addAll(List.of(args));
        return command;
    }

    private static ShellProcess start(Path home, List<String> command) throws IOException {
        List<String> started = new ArrayList<>();
        if (envSetsSignals()) {
            // SIGINT at its default, as a person's shell starts a program, whatever this build was
            // started with: a background job of a script has it ignored, which a JVM keeps.
            started.addAll(List.of("env", "--default-signal=INT"));
        }
        started.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(started);
        builder.environment().put("NO_COLOR", "1");
        builder.environment().put("TERM", "xterm");
        builder.environment().put("HOME", home.toString());
        builder.environment().put("SHELL", "/bin/sh");
        builder.environment().remove("XDG_STATE_HOME");
        return new ShellProcess(builder.start());
    }

    private void pump(InputStream in, java.util.function.Consumer<String> sink, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The shell ended; what it wrote has been collected.
            }
        }, "shell-" + name);
        thread.setDaemon(true);
        thread.start();
        pumps.add(thread);
    }

    long pid() {
        return process.pid();
    }

    /** Writes {@code keys} as they are (in a terminal: CR is Enter, byte 3 Ctrl-C). */
    void type(String keys) throws IOException {
        stdin.write(keys);
        stdin.flush();
    }

    /** Writes one line to the shell's standard input and flushes it; the pipe stays open. */
    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Reads stdout lines until one matches; the lines read, that one last. */
    List<String> awaitOut(Predicate<String> wanted) throws InterruptedException {
        List<String> read = new ArrayList<>();
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (System.nanoTime() < deadline) {
            String line = stdout.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                read.add(line);
                if (wanted.test(line)) {
                    return read;
                }
            }
        }
        throw new AssertionError("no matching line on the shell's stdout; read " + read + "; stderr " + stderr);
    }

    /** Waits until the shell has written a stderr line that matches. */
    void awaitErr(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (stderr.stream().noneMatch(wanted)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching line on the shell's stderr: " + stderr);
            }
            Thread.sleep(50);
        }
    }

    /** Every line the shell wrote to stderr so far. */
    List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Every line the shell wrote to stdout so far. */
    List<String> stdout() {
        return List.copyOf(stdoutSeen);
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does to the foreground process group. */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -INT").isZero();
    }

    void closeInput() throws IOException {
        stdin.close();
    }

    /** The exit code, once the shell ended. */
    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(ANSWER.toSeconds(), TimeUnit.SECONDS)).as("the shell ended").isTrue();
        for (Thread pump : pumps) {
            // Until the last lines are in (a worker that outlived the shell could hold the pipes).
            pump.join(5_000);
        }
        return process.exitValue();
    }

    /** The processes the shell started (its worker). */
    List<ProcessHandle> children() {
        return process.children().toList();
    }

    /** Every process below the one started (in a terminal: the shell, and its worker). */
    List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
