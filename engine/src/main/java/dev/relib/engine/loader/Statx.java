package dev.relib.engine.loader;

import dev.relib.engine.model.FileIdentity;
import dev.relib.engine.process.LibcBinding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A file's stamp from one {@code statx} call through JNR: the JDK's attribute view took 4-6 us a
 * stat (an attribute map built and parsed per call), several times per load and reload; this takes
 * about 1. Empty where the call is not there (a glibc before 2.28, a kernel before 4.11, a seccomp
 * filter): the caller then asks the JDK.
 */
public final class Statx {

    /** The glibc function; libc is never unloaded, so JNR's loader is fine here. */
    public interface Libc {
        int statx(int dirfd, byte[] path, int flags, int mask, ByteBuffer buffer);
    }

    private static final int AT_FDCWD = -100;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STRUCT_SIZE = 256;
    private static final int INO = 32;
    private static final int SIZE = 40;
    private static final int MTIME = 112;
    private static final int DEV_MAJOR = 136;
    private static final int DEV_MINOR = 140;

    private static final Libc LIBC = load();
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(STRUCT_SIZE).order(ByteOrder.nativeOrder()));

    private Statx() {
    }

    private static Libc load() {
        try {
            return LibcBinding.load(Libc.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /**
     * The file's stamp, following symlinks as the JDK's view does; empty when it cannot be had this
     * way (no such file, no permission, no statx): the caller asks the JDK, which says why.
     */
    static Optional<FileStamp> stamp(Path file) {
        if (LIBC == null) {
            return Optional.empty();
        }
        byte[] raw = file.toString().getBytes(StandardCharsets.UTF_8);
        byte[] path = new byte[raw.length + 1];
        System.arraycopy(raw, 0, path, 0, raw.length);
        ByteBuffer b = BUFFER.get();
        int result;
        try {
            result = LIBC.statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, b);
        } catch (UnsatisfiedLinkError e) {
            return Optional.empty();
        }
        if (result != 0) {
            return Optional.empty();
        }
        long mtimeNanos = TimeUnit.SECONDS.toNanos(b.getLong(MTIME)) + Integer.toUnsignedLong(b.getInt(MTIME + 8));
        FileIdentity identity = FileIdentity.of(Integer.toUnsignedLong(b.getInt(DEV_MAJOR)),
                Integer.toUnsignedLong(b.getInt(DEV_MINOR)), b.getLong(INO));
        return Optional.of(new FileStamp(identity, b.getLong(SIZE), mtimeNanos));
    }
}
