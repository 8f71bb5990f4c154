package dev.relib.engine.error;

/** A read or write of the engine process's memory that was refused; nothing was touched. */
public abstract sealed class MemoryError extends EngineException {

    private MemoryError(String code, String message) {
        super(code, message);
    }

    private static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** Some of the range is not mapped, or not readable ({@code PROT_NONE}, a guard page). */
    public static final class Unmapped extends MemoryError {
        public Unmapped(long address, long length, long readable) {
            super("memory.unmapped", length + " byte" + (length == 1 ? "" : "s") + " at " + hex(address)
                    + " cannot be read: " + (readable == 0 ? "the address is not mapped readable"
                    : "only " + readable + " are mapped readable, up to " + hex(address + readable))
                    + " in the modules' process; list its mappings with: maps");
        }
    }

    /** Some of the range is not mapped writable (code, read-only data, unmapped). */
    public static final class NotWritable extends MemoryError {
        public NotWritable(long address, long length) {
            super("memory.not_writable", length + " byte" + (length == 1 ? "" : "s") + " at " + hex(address)
                    + " cannot be written: not mapped writable in the modules' process; list its mappings with: maps");
        }
    }

    public static final class TooLarge extends MemoryError {
        public TooLarge(String what, long asked, long limit) {
            super("memory.too_large", what + " of " + asked + " bytes is more than the " + limit
                    + " allowed at once; ask for less");
        }
    }

    public static final class UnknownBuffer extends MemoryError {
        public UnknownBuffer(int id) {
            super("memory.unknown_buffer", "no buffer #" + id + "; list them with: buf");
        }
    }

    /** A type that has no fixed size in memory ({@code &str}, {@code ()}) or is not known. */
    public static final class UnsupportedType extends MemoryError {
        public UnsupportedType(String type, String problem) {
            super("memory.unsupported_type", "cannot read or write '" + type + "' in memory: " + problem);
        }
    }
}
