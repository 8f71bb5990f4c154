package dev.relib.engine.worker;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.files.TemporaryDirectories;
import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.worker.wire.WireCodec;
import dev.relib.engine.worker.wire.WireFormatException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One worker JVM: started with this JVM's class path, connected back over a Unix socket in a
 * private 0700 directory; its stdout and stderr are pumped to the shell as module output. The
 * directory also holds the worker's temporary files (its shadow copies among them) and its
 * fatal-error log, and goes when the worker does, however it ended.
 */
final class WorkerProcess implements AutoCloseable {

    /** Enough to reach back past a panic's backtrace to its message. */
    private static final int RECENT_LINES = 400;
    /** Once the worker is dead, how long its streams may stay quiet before they count as drained. */
    private static final long QUIET_MILLIS = 300;

    private final Process process;
    private final Path directory;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final BufferedWriter out;
    private final ReplyWaiter replies;
    private final OutputPump stdout;
    private final OutputPump stderr;
    private final RecentLines recent;
    private final WorkerJvmOptions.Chosen jvmOptions;

    private WorkerProcess(Process process, Path directory, SocketChannel channel, OutputPump stdout,
                          OutputPump stderr, RecentLines recent, WorkerJvmOptions.Chosen jvmOptions) {
        this.jvmOptions = jvmOptions;
        this.process = process;
        this.directory = directory;
        this.channel = channel;
        this.in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
        this.out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
        this.stdout = stdout;
        this.stderr = stderr;
        this.recent = recent;
        this.replies = new ReplyWaiter(process, in);
    }

    static WorkerProcess start(Consumer<ModuleOutput> moduleOutput, WireCodec wire) {
        return spawn(moduleOutput).connect(wire);
    }

    /** Starts the worker JVM, which then takes a few hundred milliseconds to connect back ({@link Spawned#connect}). */
    static Spawned spawn(Consumer<ModuleOutput> moduleOutput) {
        Path directory = null;
        ServerSocketChannel server = null;
        Process process = null;
        try {
            WorkerDirectories.removeAbandoned();
            directory = TemporaryDirectories.create(WorkerDirectories.PREFIX);
            Path socket = directory.resolve("worker.sock");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            WorkerJvmOptions.Chosen jvmOptions = WorkerJvmOptions.choose(System.getProperty("java.class.path"),
                    WorkerJvmOptions.defaultCacheRoot());
            Path agent = Agent.libraryPath();
            ProcessBuilder builder = new ProcessBuilder(command(directory, socket, jvmOptions.options(), agent))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // The agent's crash handler writes the signal, stack and maps here (crash.c);
            // NativeCrashFiles reads it before the directory goes.
            builder.environment().put(NativeCrashFiles.CRASH_FILE_VARIABLE,
                    directory.resolve(NativeCrashFiles.CRASH_FILE).toString());
            process = builder.start();
            WorkerDirectories.claim(directory, process.pid());
            RecentLines recent = new RecentLines(RECENT_LINES);
            OutputPump stdout = new OutputPump(process.getInputStream(), ModuleOutput.Stream.STDOUT, moduleOutput, recent);
            OutputPump stderr = new OutputPump(process.getErrorStream(), ModuleOutput.Stream.STDERR, moduleOutput, recent);
            stdout.start();
            stderr.start();
            // If the worker dies before it connects, closing the server ends the accept in connect.
            ServerSocketChannel listening = server;
            process.onExit().thenRun(() -> closeQuietly(listening));
            return new Spawned(process, directory, server, stdout, stderr, recent, jvmOptions);
        } catch (IOException e) {
            throw startFailed(process, directory, server, e);
        }
    }

    /** A worker JVM started and not yet connected back. */
    record Spawned(Process process, Path directory, ServerSocketChannel server, OutputPump stdout,
                   OutputPump stderr, RecentLines recent, WorkerJvmOptions.Chosen jvmOptions) {

        /** Waits for the worker to connect and say hello; ends it if it does not. */
        WorkerProcess connect(WireCodec wire) {
            try (server) {
                SocketChannel channel = server.accept();
                WorkerProcess worker = new WorkerProcess(process, directory, channel, stdout, stderr, recent, jvmOptions);
                worker.handshake(wire);
                return worker;
            } catch (IOException e) {
                throw startFailed(process, directory, null, e);
            }
        }
    }

    private static EngineFailure startFailed(Process process, Path directory, ServerSocketChannel server, IOException e) {
        String detail = process != null && !process.isAlive() ? " (it exited with status " + process.exitValue() + ")" : "";
        if (server != null) {
            closeQuietly(server);
        }
        if (process != null) {
            process.destroyForcibly();
        }
        if (directory != null) {
            WorkerDirectories.delete(directory);
        }
        return new EngineFailure("worker.start_failed", "cannot start the worker process" + detail + ": " + e.getMessage()
                + "; run with --in-process to use no worker", e);
    }

    private static List<String> command(Path directory, Path socket, List<String> jvmOptions, Path agent) {
        List<String> command = new ArrayList<>();
        // A session of its own from the first instruction on, so the terminal's Ctrl-C (SIGINT to the
        // shell's process group) and Ctrl-Z never reach it: the shell decides what Ctrl-C does.
        // WorkerMain calls setsid() itself where there is no setsid(1).
        setsidProgram().ifPresent(setsid -> command.add(setsid.toString()));
        // The agent is the worker JVM's malloc family, so every free in it retires a tracked block.
        // Set by env(1) for java alone: a preloaded agent takes itself out of LD_PRELOAD for the
        // programs its process starts, so setsid(1) must not be the one that gets it.
        String preload = System.getenv("LD_PRELOAD");
        command.add("/usr/bin/env");
        command.add("LD_PRELOAD=" + agent + (preload == null || preload.isBlank() ? "" : ":" + preload));
        command.add(WorkerJvmOptions.javaExecutable());
        command.addAll(jvmOptions);
        // A crash in native code writes its report here, not into the user's working directory.
        command.add("-XX:ErrorFile=" + directory.resolve("hs_err_pid%p.log"));
        command.add("-XX:-CreateCoredumpOnCrash");
        // Its temporary files (shadow copies) live and die with the worker's directory.
        command.add("-Djava.io.tmpdir=" + directory);
        // The same file as preloaded, so the worker's load of the agent finds the preloaded copy.
        command.add("-Drelib.agent.path=" + agent);
        command.add("-cp");
        command.add(WorkerJvmOptions.absoluteClassPath(System.getProperty("java.class.path")));
        command.add(WorkerMain.class.getName());
        command.add(socket.toString());
        return command;
    }

    private static Optional<Path> setsidProgram() {
        return List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
                .filter(Files::isExecutable).findFirst();
    }

    private void handshake(WireCodec wire) throws IOException {
        ReplyWaiter.Reply reply;
        try {
            reply = replies.await(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the worker to say hello");
        }
        if (reply.kind() != ReplyWaiter.Kind.ANSWER) {
            throw new IOException("the worker did not say hello (" + reply.kind().name().toLowerCase() + ")");
        }
        WorkerMessages.Hello hello;
        try {
            hello = wire.read(reply.line(), WorkerMessages.Hello.class);
        } catch (WireFormatException e) {
            throw new IOException("the worker's hello is unreadable (" + e.getMessage() + "); rebuild relib", e);
        }
        if (hello.protocol() != WorkerMessages.PROTOCOL_VERSION || hello.syncToken() == null) {
            throw new IOException("the worker speaks protocol " + hello.protocol() + ", this shell "
                    + WorkerMessages.PROTOCOL_VERSION + "; rebuild relib");
        }
        String marker = WorkerMain.StdioSync.marker(hello.syncToken());
        stdout.expectMarker(marker);
        stderr.expectMarker(marker);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void send(String line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
    }

    /** The next answer, or why none will come (see {@link ReplyWaiter}). */
    ReplyWaiter.Reply awaitReply(Duration timeout) throws InterruptedException {
        return replies.await(timeout);
    }

    /** Waits until both streams have shown everything printed before response {@code id}. */
    void awaitOutput(long id) throws InterruptedException {
        stdout.awaitSync(id, 2_000);
        stderr.awaitSync(id, 2_000);
    }

    /**
     * Waits for the process to end (killing it after {@code timeoutMillis}) and for its streams to
     * drain; the exit status. Streams a forked child still holds count as drained once quiet.
     */
    int awaitExit(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        stdout.awaitEndOrQuiet(QUIET_MILLIS, 2_000);
        stderr.awaitEndOrQuiet(QUIET_MILLIS, 2_000);
        jvmOptions.publish(process.exitValue());
        return process.exitValue();
    }

    void kill() {
        process.destroyForcibly();
    }

    List<String> recentOutput() {
        return recent.snapshot();
    }

    /** Output from now on belongs to the next request; called once a request's output is all in. */
    void markOutputBoundary() {
        recent.markBoundary();
    }

    /** What the worker printed since {@link #markOutputBoundary()}: the last request's lines. */
    List<String> requestOutput() {
        return recent.sinceBoundary();
    }

    /** The JVM's fatal-error log, read from the worker's directory while it is still there. */
    Optional<JvmCrashLog> crashLog() {
        return JvmCrashLog.read(directory, process.pid());
    }

    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        closeQuietly(channel);
        try {
            awaitExit(jvmOptions.exitMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        WorkerDirectories.delete(directory);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Closing is the last thing done with it; there is nothing left to report to.
        }
    }
}
