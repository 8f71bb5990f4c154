package dev.relib.engine.worker;

import dev.relib.engine.worker.wire.RawJson;

/** The lines that travel on the worker socket, besides requests. */
final class WorkerMessages {

    /** must match on both sides: bumped when a message changes meaning (additions keep it). */
    static final int PROTOCOL_VERSION = 1;

    private WorkerMessages() {
    }

    /**
     * The worker's first line: who it is, which protocol it speaks, and the token of the sync
     * markers it will write to its output streams.
     */
    record Hello(int protocol, long pid, String javaVersion, String syncToken) {
    }

    /** A request with its sequence number. */
    record Envelope(long id, WorkerRequest request) {
    }

    /**
     * The answer to request {@code id}: a result, or an error with the engine's code and message.
     * The result stays JSON text until the shell reads it as the type its request returns.
     */
    record Response(long id, RawJson result, ErrorBody error) {
    }

    /** @param detail a finer code some errors carry ({@code load.invalid_elf}'s defect), or null */
    record ErrorBody(String code, String message, String detail) {
    }
}
