package dev.relib.engine.process;

import dev.relib.engine.model.FileIdentity;

/**
 * One line of {@code /proc/self/maps}.
 *
 * @param path the mapped file, a pseudo name ({@code [heap]}), or empty for anonymous memory
 */
public record Mapping(long start, long end, String permissions, long offset, int deviceMajor, int deviceMinor,
                      long inode, String path) {

    public long length() {
        return end - start;
    }

    public boolean isFile() {
        return inode != 0;
    }

    /** Whether this maps the file with the given identity (device as {@code stat} reports it). */
    public boolean maps(FileIdentity file) {
        return inode == file.inode() && deviceMajor == file.major() && deviceMinor == file.minor();
    }
}
