package dev.relib.engine.model;

/**
 * What a tracked module has open now.
 *
 * @param fds     file descriptors it opened and did not close, those of its streams included
 * @param streams FILE and DIR streams it opened and did not close
 */
public record OpenFiles(long fds, long streams) {
}
