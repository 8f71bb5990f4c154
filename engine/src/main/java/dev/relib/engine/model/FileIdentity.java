package dev.relib.engine.model;

/**
 * A file as the kernel knows it: what {@code stat} and {@code /proc/self/maps} agree on.
 *
 * @param device {@code st_dev} in glibc's encoding
 * @param inode  {@code st_ino}
 */
public record FileIdentity(long device, long inode) {

    /** glibc's {@code gnu_dev_major}. */
    public int major() {
        return (int) (((device >>> 8) & 0xfff) | ((device >>> 32) & ~0xfffL));
    }

    /** glibc's {@code gnu_dev_minor}. */
    public int minor() {
        return (int) ((device & 0xff) | ((device >>> 12) & ~0xffL));
    }

    @Override
    public String toString() {
        return String.format("%02x:%02x inode %d", major(), minor(), inode);
    }
}
