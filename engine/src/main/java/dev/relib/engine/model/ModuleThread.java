package dev.relib.engine.model;

import java.time.Instant;

/**
 * A thread a module started.
 *
 * @param tid          kernel thread id; 0 if it had not started running when read
 * @param startRoutine address of the function the module passed to pthread_create
 * @param name         as the thread named itself (kept after exit); empty if unnamed
 * @param startedAt    when pthread_create was called
 * @param exitedAt     when it finished, or null while running
 * @param state        running, or exited after its key destructors ran
 * @param boxedFnDrop  when the start routine's argument was Rust std's boxed thread main, its vtable's
 *                     drop_in_place (whose symbol names the closure passed to spawn); else 0
 * @param boxedFnCall  that vtable's call_once; else 0
 */
public record ModuleThread(long tid, long startRoutine, String name, Instant startedAt, Instant exitedAt, State state,
                           long boxedFnDrop, long boxedFnCall) {

    public ModuleThread(long tid, long startRoutine, String name, Instant startedAt, Instant exitedAt, State state) {
        this(tid, startRoutine, name, startedAt, exitedAt, state, 0, 0);
    }

    public enum State {
        RUNNING,
        EXITED
    }
}
