package dev.relib.engine.model;

import java.time.Instant;
import java.util.List;

/**
 * One panic an SDK module caught and recorded, as values.
 *
 * @param module     the module's name
 * @param sequence   the module's own count, 1 for its first panic (gaps mean the module dropped some)
 * @param message    the panic message
 * @param file       source file, or null when the panic had no location
 * @param line       1-based, 0 without a location
 * @param column     1-based, 0 without a location
 * @param threadId   kernel thread id of the panicking thread
 * @param thread     the thread's kernel name (at most 15 bytes), or null
 * @param export     the SDK entry point that was running: an export's name, {@code main},
 *                   {@code before_unload}, or null for a thread the module started
 * @param rawFrames  return addresses in this process, innermost first
 * @param backtrace  std's formatted backtrace, or null (the engine asks for raw frames only)
 * @param capturedAt when the engine took it from the module
 */
public record PanicRecord(String module, long sequence, String message, String file, int line, int column,
                          long threadId, String thread, String export, List<Long> rawFrames, String backtrace,
                          Instant capturedAt) {

    public PanicRecord {
        rawFrames = List.copyOf(rawFrames);
    }

    /** {@code src/lib.rs:12:9}, or null without a location. */
    public String location() {
        return file == null ? null : file + ":" + line + ":" + column;
    }

    /** The message with its location, as one line. */
    public String summary() {
        return location() == null ? message : message + " at " + location();
    }
}
