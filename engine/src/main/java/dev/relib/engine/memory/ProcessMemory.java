package dev.relib.engine.memory;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.error.MemoryError;
import dev.relib.engine.process.LibcBinding;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Reads and writes this process's memory through {@code process_vm_readv}/{@code process_vm_writev}
 * on itself: the kernel checks every page, so an unmapped, {@code PROT_NONE} or read-only address
 * is an error ({@code EFAULT}) and never a segfault that would take the modules' process down.
 */
public final class ProcessMemory {

    /** The libc calls; libc is never unloaded, so JNR's loader is fine here. */
    public interface Libc {
        int getpid();

        // The vectors are Pointers: with every argument a Java long, JNR's call got EINVAL.
        long process_vm_readv(int pid, Pointer localIov, long localCount, Pointer remoteIov, long remoteCount, long flags);

        long process_vm_writev(int pid, Pointer localIov, long localCount, Pointer remoteIov, long remoteCount, long flags);
    }

    /** The most one read or write moves: an inspection, not a copy. */
    public static final int MAX_TRANSFER = 1 << 20;

    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    /** {@code struct iovec}: base, length. */
    private static final int IOVEC = 16;

    private final Libc libc;
    private final Runtime runtime;
    private final int pid;

    private ProcessMemory(Libc libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
        this.pid = libc.getpid();
    }

    public static ProcessMemory open() {
        return new ProcessMemory(LibcBinding.load(Libc.class));
    }

    /**
     * @throws MemoryError.Unmapped when any byte of the range is not mapped readable
     */
    public byte[] read(long address, int length) {
        checkLength("a read", length);
        byte[] out = new byte[length];
        if (length == 0) {
            return out;
        }
        long done = transfer(address, length, false, out);
        if (done != length) {
            throw new MemoryError.Unmapped(address, length, Math.max(done, 0));
        }
        return out;
    }

    /**
     * Reads up to {@code limit} bytes, stopping at the first unreadable page; returns what was readable
     * (possibly nothing). For strings whose end is not known before reading.
     */
    public byte[] readUpTo(long address, int limit) {
        checkLength("a read", limit);
        byte[] buffer = new byte[limit];
        long done = transfer(address, limit, false, buffer);
        int readable = (int) Math.max(done, 0);
        if (readable == limit) {
            return buffer;
        }
        // A partial read stops at the first bad iovec byte only when pages differ; retry page by page.
        int page = 4096;
        int total = readable;
        while (total < limit) {
            long at = address + total;
            int chunk = (int) Math.min(limit - total, page - (at & (page - 1)));
            byte[] part = new byte[chunk];
            long got = transfer(at, chunk, false, part);
            if (got <= 0) {
                break;
            }
            System.arraycopy(part, 0, buffer, total, (int) got);
            total += (int) got;
        }
        byte[] out = new byte[total];
        System.arraycopy(buffer, 0, out, 0, total);
        return out;
    }

    /**
     * @throws MemoryError.NotWritable when any byte of the range is not mapped writable; then nothing
     *                                 was written in the pages found bad
     */
    public void write(long address, byte[] data) {
        checkLength("a write", data.length);
        if (data.length == 0) {
            return;
        }
        if (transfer(address, data.length, true, data) != data.length) {
            throw new MemoryError.NotWritable(address, data.length);
        }
    }

    private static void checkLength(String what, long length) {
        if (length < 0 || length > MAX_TRANSFER) {
            throw new MemoryError.TooLarge(what, length, MAX_TRANSFER);
        }
    }

    /** Bytes moved, or -1 when the first page failed. */
    private long transfer(long address, int length, boolean write, byte[] data) {
        long local = MEMORY.allocateMemory(length, false);
        long vectors = MEMORY.allocateMemory(2L * IOVEC, false);
        if (local == 0 || vectors == 0) {
            MEMORY.freeMemory(local);
            MEMORY.freeMemory(vectors);
            throw new EngineFailure("memory.out_of_memory", "could not allocate " + length + " bytes to copy through");
        }
        try {
            MEMORY.putAddress(vectors, local);
            MEMORY.putLong(vectors + 8, length);
            MEMORY.putAddress(vectors + IOVEC, address);
            MEMORY.putLong(vectors + IOVEC + 8, length);
            if (write) {
                MEMORY.putByteArray(local, data, 0, length);
                return libc.process_vm_writev(pid, Pointer.wrap(runtime, vectors), 1,
                        Pointer.wrap(runtime, vectors + IOVEC), 1, 0);
            }
            long done = libc.process_vm_readv(pid, Pointer.wrap(runtime, vectors), 1,
                    Pointer.wrap(runtime, vectors + IOVEC), 1, 0);
            if (done > 0) {
                MEMORY.getByteArray(local, data, 0, (int) done);
            }
            return done;
        } finally {
            MEMORY.freeMemory(local);
            MEMORY.freeMemory(vectors);
        }
    }
}
