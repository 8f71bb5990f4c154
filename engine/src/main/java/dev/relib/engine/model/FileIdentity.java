package dev.relib.engine.model;

/** A file as the kernel knows it: what {@code /proc/self/maps} and {@code stat} agree on. */
public record FileIdentity(long device, long inode) {

    /** The {@code major:minor} form that {@code /proc/self/maps} prints, in hex. */
    public String deviceText() {
        return String.format("%02x:%02x", (device >>> 8) & 0xfff | ((device >>> 32) & ~0xfffL),
                (device & 0xff) | ((device >>> 12) & ~0xffL));
    }
}
