package dev.relib.engine.worker;

import dev.relib.engine.Engine;
import dev.relib.engine.InProcessEngine;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.worker.wire.RawJson;
import dev.relib.engine.worker.wire.WireCodec;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The worker process: an in-process engine driven over a Unix socket, one JSON line per request
 * and per response. Its stdout and stderr belong to the modules; after each request it flushes C
 * stdio and writes a sync marker to both, so the shell can print module output before the result.
 */
public final class WorkerMain {

    private final Engine engine;
    private final WireCodec wire;
    private final StdioSync stdio;

    private WorkerMain(Engine engine, WireCodec wire, StdioSync stdio) {
        this.engine = engine;
        this.wire = wire;
        this.stdio = stdio;
    }

    /** {@code WorkerMain SOCKET_PATH}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: WorkerMain SOCKET_PATH (started by relib; not meant to be run by hand)");
            System.exit(2);
        }
        ShellTies.leaveShellSession();
        ShellTies.haltWhenOrphaned();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
            try (InProcessEngine engine = InProcessEngine.start()) {
                // Before any module runs: what it execs must not inherit the socket, or the shell's files.
                CloseOnExec.markOpenDescriptors();
                WorkerMain worker = new WorkerMain(engine, new WireCodec(), new StdioSync(System.out, System.err, SyncToken.fresh()));
                // Requests come one at a time and the shell times them: served where the modules run.
                engine.onOwnerThread(() -> {
                    worker.serve(channel);
                    return null;
                });
            }
        }
        if (Boolean.getBoolean(ArchiveContents.WRITING_PROPERTY)) {
            ArchiveContents.loadAll(System.getProperty("java.class.path"), WorkerMain.class.getClassLoader(),
                    ArchiveContents.WORKER_PACKAGES);
        }
        // The engine closed its modules; halt skips shutdown hooks a module may have registered
        // (and the JVM closes the list of its classes, when this worker lists them, as it halts).
        Runtime.getRuntime().halt(0);
    }

    private void serve(SocketChannel channel) throws IOException {
        BufferedReader in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
        BufferedWriter out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
        write(out, new WorkerMessages.Hello(WorkerMessages.PROTOCOL_VERSION, ProcessHandle.current().pid(),
                System.getProperty("java.version"), stdio.token()));
        for (String line; (line = in.readLine()) != null; ) {
            WorkerMessages.Envelope envelope = wire.read(line, WorkerMessages.Envelope.class);
            WorkerMessages.Response response = handle(envelope);
            stdio.sync(envelope.id());
            write(out, response);
        }
    }

    private WorkerMessages.Response handle(WorkerMessages.Envelope envelope) {
        try {
            Object result = envelope.request().applyTo(engine);
            return new WorkerMessages.Response(envelope.id(), new RawJson(wire.write(result)), null);
        } catch (EngineException e) {
            return new WorkerMessages.Response(envelope.id(), null, new WorkerMessages.ErrorBody(e.code(), e.getMessage(), e.detail()));
        } catch (RuntimeException e) {
            return new WorkerMessages.Response(envelope.id(), null,
                    new WorkerMessages.ErrorBody("engine.internal", "internal error in the worker: " + e, null));
        }
    }

    private void write(BufferedWriter out, Object message) throws IOException {
        out.write(wire.write(message));
        out.write('\n');
        out.flush();
    }

    /**
     * Flushes what modules buffered in C stdio, then marks the point in both streams. The marker
     * holds a random token that only the socket carried, so no module output can imitate it.
     */
    static final class StdioSync {
        /** The marker's fixed part; NUL first, since text rarely holds one. */
        static final String PREFIX = "\u0000relib-sync:";

        private final PrintStream out;
        private final PrintStream err;
        private final String token;
        private final LibcStdio libc = LibcStdio.load();

        StdioSync(PrintStream out, PrintStream err, String token) {
            this.out = out;
            this.err = err;
            this.token = token;
        }

        String token() {
            return token;
        }

        static String marker(String token) {
            return PREFIX + token + ":";
        }

        void sync(long id) {
            libc.flushAll();
            out.print(marker(token) + id + "\n");
            out.flush();
            err.print(marker(token) + id + "\n");
            err.flush();
        }
    }
}
