package dev.relib.engine.core;

import dev.relib.engine.error.EngineException;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.process.ForkedChild;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one thread that makes every native call into modules: dlopen, exports, before_unload,
 * dlclose. relib requires load and unload on one thread, and thread-local destructors the agent
 * keeps for "the calling thread" are this thread's. Tasks submitted from the owner thread itself
 * run inline, so engine code can compose operations freely.
 */
public final class ModuleOwnerThread implements AutoCloseable {

    /**
     * A short task (a call) ends within the spin, and its result is taken without this thread ever
     * parking. Shorter than the owner's spin: while this thread runs, each mprotect or munmap the
     * owner makes (dlopen, dlclose, freeing a leak) must reach this CPU too, and a long task is
     * better waited for parked. Measured on reload cycles: no spin 288-293 us, 20 us 275-277, 50 us 267-270
     * with load+unload cycles 192-197, 173-181 and 192-199 us.
     */
    private static final long CALLER_SPIN_NANOS = 20_000;

    private final ExecutorService executor;
    private volatile Thread thread;
    /** A task that outlived its timeout; while it runs, nothing else can use the thread. */
    private volatile Future<?> overrun;
    private volatile String overrunDescription;

    public ModuleOwnerThread() {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new SpinThenParkQueue(), runnable -> {
            Thread t = new Thread(runnable, "relib-module-owner");
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** Runs {@code task} on the owner thread and returns its result; engine exceptions pass through. */
    public <T> T run(Callable<T> task) {
        return run(task, null, null);
    }

    /**
     * Runs {@code task} on the owner thread, waiting at most {@code timeout} (null: no limit).
     *
     * @param onTimeout the exception to throw when the deadline passes; the task keeps running, since
     *                  a native call cannot be interrupted in-process (the worker engine kills instead)
     */
    public <T> T run(Callable<T> task, Duration timeout, java.util.function.Supplier<EngineException> onTimeout) {
        if (Thread.currentThread() == thread) {
            return callInline(task);
        }
        Future<?> stuck = overrun;
        if (stuck != null && !stuck.isDone()) {
            throw new EngineFailure("engine.busy", "the module owner thread is still running an earlier call that "
                    + "timed out (" + overrunDescription + "); an in-process engine cannot stop it: restart relib");
        }
        Future<T> future;
        try {
            future = executor.submit(() -> {
                try {
                    return task.call();
                } finally {
                    // A module that forks and returns in both processes returns here twice.
                    ForkedChild.exitIfForked("a call into it");
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new EngineFailure("engine.closed", "the engine is closed", e);
        }
        spinUntilDone(future);
        try {
            return timeout == null ? future.get() : future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            EngineException timedOut = onTimeout.get();
            overrunDescription = timedOut.getMessage();
            overrun = future;
            throw timedOut;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineFailure("engine.interrupted", "interrupted while waiting for the module owner thread", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static void spinUntilDone(Future<?> future) {
        long deadline = System.nanoTime() + CALLER_SPIN_NANOS;
        while (!future.isDone() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    private static <T> T callInline(Callable<T> task) {
        try {
            return task.call();
        } catch (Exception e) {
            throw rethrow(e);
        } finally {
            // As for a submitted task: an engine served on this thread must not go on in a forked child.
            ForkedChild.exitIfForked("a call into it");
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new EngineFailure("engine.internal", "unexpected failure on the module owner thread: " + cause, cause);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
