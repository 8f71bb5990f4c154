package dev.relib.engine.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.model.ModuleOutput;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One worker JVM: started with this JVM's class path, connected back over a Unix socket in a
 * private 0700 directory; its stdout and stderr are pumped to the shell as module output.
 */
final class WorkerProcess implements AutoCloseable {

    /** Enough to reach back past a panic's backtrace to its message. */
    private static final int RECENT_LINES = 400;

    private final Process process;
    private final Path directory;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final BufferedWriter out;
    private final OutputPump stdout;
    private final OutputPump stderr;
    private final RecentLines recent;

    private WorkerProcess(Process process, Path directory, SocketChannel channel, OutputPump stdout,
                          OutputPump stderr, RecentLines recent) {
        this.process = process;
        this.directory = directory;
        this.channel = channel;
        this.in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
        this.out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
        this.stdout = stdout;
        this.stderr = stderr;
        this.recent = recent;
    }

    static WorkerProcess start(Consumer<ModuleOutput> moduleOutput, ObjectMapper json) {
        Path directory = null;
        Process process = null;
        try {
            directory = Files.createTempDirectory("relib-worker-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path socket = directory.resolve("worker.sock");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                process = new ProcessBuilder(command(directory, socket))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                RecentLines recent = new RecentLines(RECENT_LINES);
                OutputPump stdout = new OutputPump(process.getInputStream(), ModuleOutput.Stream.STDOUT, moduleOutput, recent);
                OutputPump stderr = new OutputPump(process.getErrorStream(), ModuleOutput.Stream.STDERR, moduleOutput, recent);
                stdout.start();
                stderr.start();
                // If the worker dies before it connects, closing the server ends the accept below.
                process.onExit().thenRun(() -> closeQuietly(server));
                SocketChannel channel = server.accept();
                WorkerProcess worker = new WorkerProcess(process, directory, channel, stdout, stderr, recent);
                worker.handshake(json);
                return worker;
            }
        } catch (IOException e) {
            String detail = process != null && !process.isAlive() ? " (it exited with status " + process.exitValue() + ")" : "";
            if (process != null) {
                process.destroyForcibly();
            }
            throw new EngineFailure("worker.start_failed", "cannot start the worker process" + detail + ": " + e.getMessage()
                    + "; run with --in-process to use no worker", e);
        }
    }

    private static List<String> command(Path directory, Path socket) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseSerialGC");
        // A crash in native code writes its report here, not into the user's working directory.
        command.add("-XX:ErrorFile=" + directory.resolve("hs_err_pid%p.log"));
        command.add("-XX:-CreateCoredumpOnCrash");
        for (String property : List.of("relib.agent.path")) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkerMain.class.getName());
        command.add(socket.toString());
        return command;
    }

    private void handshake(ObjectMapper json) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("the worker closed the connection before saying hello");
        }
        WorkerMessages.Hello hello = json.readValue(line, WorkerMessages.Hello.class);
        if (hello.protocol() != WorkerMessages.PROTOCOL_VERSION) {
            throw new IOException("the worker speaks protocol " + hello.protocol() + ", this shell "
                    + WorkerMessages.PROTOCOL_VERSION + "; rebuild relib");
        }
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

    /** The next line from the worker, or null at end of stream (it died or closed). */
    String receive() throws IOException {
        return in.readLine();
    }

    /** Waits until both streams have shown everything printed before response {@code id}. */
    void awaitOutput(long id) throws InterruptedException {
        stdout.awaitSync(id, 2_000);
        stderr.awaitSync(id, 2_000);
    }

    /** Waits for the process to end and its streams to drain; the exit status. */
    int awaitExit(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        stdout.awaitEnd(2_000);
        stderr.awaitEnd(2_000);
        return process.exitValue();
    }

    void kill() {
        process.destroyForcibly();
    }

    List<String> recentOutput() {
        return recent.snapshot();
    }

    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        closeQuietly(channel);
        try {
            awaitExit(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(directory);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Closing is the last thing done with it; there is nothing left to report to.
        }
    }

    static void deleteQuietly(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // A leftover temp directory costs disk only.
        }
    }
}
