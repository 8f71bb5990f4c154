package dev.relib.engine.worker.wire;

/** A line on the worker socket that is not what the other end writes, or a value with no wire form. */
public final class WireFormatException extends RuntimeException {

    WireFormatException(String message) {
        super(message);
    }

    WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
