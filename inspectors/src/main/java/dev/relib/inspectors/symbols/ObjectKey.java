package dev.relib.inspectors.symbols;

import dev.relib.engine.model.FileIdentity;
import dev.relib.engine.process.Mapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names one object file as the kernel mapped it: path, device and inode. The path is part of the
 * key because an inode freed by a deleted shadow copy is soon reused by the next one.
 *
 * @param path the canonical path, without the " (deleted)" that {@code /proc/self/maps} appends
 */
public record ObjectKey(String path, int deviceMajor, int deviceMinor, long inode) {

    private static final String DELETED = " (deleted)";

    /** The object a file mapping shows; {@code mapping} must map a file ({@link Mapping#isFile()}). */
    public static ObjectKey of(Mapping mapping) {
        return new ObjectKey(objectPath(mapping), mapping.deviceMajor(), mapping.deviceMinor(), mapping.inode());
    }

    /** The object at {@code file} on disk now (symbolic links resolved, as the kernel shows them). */
    public static ObjectKey ofFile(Path file) {
        try {
            Path real = file.toRealPath();
            FileIdentity identity = new FileIdentity((Long) Files.getAttribute(real, "unix:dev"),
                    (Long) Files.getAttribute(real, "unix:ino"));
            return new ObjectKey(real.toString(), identity.major(), identity.minor(), identity.inode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file, e);
        }
    }

    /** The mapped file's path as it was when mapped. */
    static String objectPath(Mapping mapping) {
        String path = mapping.path();
        return path.endsWith(DELETED) ? path.substring(0, path.length() - DELETED.length()) : path;
    }

    /** The file name alone, for frames: "libsheep.so". */
    public String fileName() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
