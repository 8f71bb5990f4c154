package dev.relib.engine.model;

/** A line a module printed in the worker process, on its stdout or stderr. */
public record ModuleOutput(Stream stream, String text) {

    public enum Stream { STDOUT, STDERR }
}
