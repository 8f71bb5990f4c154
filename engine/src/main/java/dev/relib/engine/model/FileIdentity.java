package dev.relib.engine.model;

/**
 * A file as the kernel knows it: what {@code stat} and {@code /proc/self/maps} agree on.
 *
 * @param device {@code st_dev} in glibc's encoding
 * @param inode  {@code st_ino}
 */
public record FileIdentity(long device, long inode) {

    /** The identity with {@code st_dev} made from its parts as glibc's {@code makedev} does. */
    public static FileIdentity of(long major, long minor, long inode) {
        long device = ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
        return new FileIdentity(device, inode);
    }

    /** glibc's {@code gnu_dev_major}. */
    public int major() {
        return (int) (((device >>> 8) & 0xfff) | ((device >>> 32) & ~0xfffL));
    }

    /** glibc's {@code gnu_dev_minor}. */
    public int minor() {
        return (int) ((device & 0xff) | ((device >>> 12) & ~0xffL));
    }

    // Written out: a record's generated equals and hashCode go through a method handle, which the
    // worker's C1-only JIT does not inline, and a reload compares stamps and identities a dozen times.
    @Override
    public boolean equals(Object other) {
        return other instanceof FileIdentity that && device == that.device && inode == that.inode;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(device) * 31 + Long.hashCode(inode);
    }

    @Override
    public String toString() {
        return String.format("%02x:%02x inode %d", major(), minor(), inode);
    }
}
