package dev.relib.engine.model;

public enum ModuleKind {
    /** A shared object that knows nothing about relib: exports need signatures. */
    PLAIN,
    /** Built with {@code relib_sdk}: typed exports, captured panics, imports. */
    SDK,
    /** Built with relib 0.7's {@code relib_module}: exports {@code __RELIB__CRATE_COMPILATION_INFO__}. */
    RELIB
}
