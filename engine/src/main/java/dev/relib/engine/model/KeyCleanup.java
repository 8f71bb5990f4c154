package dev.relib.engine.model;

/**
 * Running a module's pthread-key destructors on the calling thread, then deleting its keys.
 *
 * @param destructorsRun destructor calls made
 * @param keysDeleted    keys deleted
 */
public record KeyCleanup(int destructorsRun, int keysDeleted) {
}
