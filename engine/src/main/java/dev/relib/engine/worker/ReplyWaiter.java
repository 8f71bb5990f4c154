package dev.relib.engine.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads the worker's answers on a thread of its own and waits for the next one while watching the
 * process: an answer, the process's exit (not the socket's end of stream, which a child the module
 * forked may hold open for as long as it lives), a deadline, or a stop that nothing will continue.
 */
final class ReplyWaiter {

    enum Kind { ANSWER, DIED, TIMED_OUT, STOPPED }

    record Reply(Kind kind, String line) {
    }

    /** How often the process is looked at while no answer has come. */
    static final long TICK_MILLIS = 250;
    /** Ticks in a row a signal-stopped worker is given before it is taken for stopped for good. */
    static final int STOPPED_TICKS = 4;
    /** How long an answer the worker wrote just before it exited may take to arrive. */
    private static final long LAST_WORDS_MILLIS = 300;
    private static final String END = new String("end of stream");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    ReplyWaiter(Process process, BufferedReader in) {
        this.process = process;
        Thread reader = new Thread(() -> read(in), "relib-worker-replies");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(BufferedReader in) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // Closed by close(), or the worker is gone; either way no more answers.
        }
        lines.add(END);
    }

    /** The next answer, or why none will come; {@code timeout} null waits as long as the worker lives and runs. */
    Reply await(Duration timeout) throws InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        int stoppedTicks = 0;
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(0, Math.min(TimeUnit.NANOSECONDS.toMillis(left), TICK_MILLIS)),
                    TimeUnit.MILLISECONDS);
            if (line != null) {
                return line == END ? new Reply(Kind.DIED, null) : new Reply(Kind.ANSWER, line);
            }
            if (!process.isAlive()) {
                line = lines.poll(LAST_WORDS_MILLIS, TimeUnit.MILLISECONDS);
                return line == null || line == END ? new Reply(Kind.DIED, null) : new Reply(Kind.ANSWER, line);
            }
            if (System.nanoTime() - deadline >= 0) {
                return new Reply(Kind.TIMED_OUT, null);
            }
            // Counted in ticks, not time: when the shell itself was stopped too (Ctrl-Z), its clock ran on.
            stoppedTicks = ProcessState.of(process.pid()).stoppedBySignal() ? stoppedTicks + 1 : 0;
            if (stoppedTicks >= STOPPED_TICKS) {
                return new Reply(Kind.STOPPED, null);
            }
        }
    }
}
