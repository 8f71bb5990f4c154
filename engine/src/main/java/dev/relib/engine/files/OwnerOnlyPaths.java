package dev.relib.engine.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Directories and files that only this user may change, for what the shell keeps between runs
 * (the history, the extracted agent) under {@code $XDG_STATE_HOME} or {@code $XDG_CACHE_HOME},
 * which may be shared. A directory is trusted when it is a real directory (not a symbolic link)
 * owned by this user and writable by no one else, and when no one else can rename it away: each
 * ancestor is owned by this user or root, and writable by others only with the sticky bit (as
 * {@code /tmp} is). Inside a trusted directory nobody else can plant or swap a file, so a file
 * checked there stays what was checked; it must itself be a regular file (no link followed) owned
 * by this user with one name.
 */
public final class OwnerOnlyPaths {

    private static final int OTHERS_WRITE = 0002;
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int GROUP_OR_OTHERS_ANY = 0077;
    private static final int STICKY = 01000;

    private OwnerOnlyPaths() {
    }

    /** A path that fails the checks, with why. */
    public static final class UnsafePathException extends IOException {
        public UnsafePathException(Path path, String problem) {
            super(path + " " + problem);
        }
    }

    /** Creates {@code dir} and its missing parents with mode 0700 and checks it can be trusted. */
    public static Path directory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            existing = absolute.getRoot();
        }
        for (Path part : existing.relativize(absolute)) {
            existing = existing.resolve(part);
            try {
                Files.createDirectory(existing, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // Made meanwhile; it is checked like any other below.
            }
        }
        requireOwnDirectory(absolute);
        for (Path ancestor = absolute.getParent(); ancestor != null; ancestor = ancestor.getParent()) {
            int uid = uid(ancestor);
            int mode = mode(ancestor);
            if (uid != currentUid() && uid != 0) {
                throw new UnsafePathException(ancestor, "belongs to another user (uid " + uid + "), who could replace "
                        + absolute.getFileName() + " inside it");
            }
            if ((mode & OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
                throw new UnsafePathException(ancestor, "is writable by every user and not sticky, so anyone could replace "
                        + absolute + " inside it");
            }
        }
        return absolute;
    }

    /**
     * Checks an existing file inside a {@link #directory trusted directory} (or creates it, mode
     * 0600, when missing) and narrows its mode to 0600.
     */
    public static Path file(Path file) throws IOException {
        try {
            Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS).close();
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (FileAlreadyExistsException existing) {
            requireOwnFile(file);
            if ((mode(file) & GROUP_OR_OTHERS_ANY) != 0) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        }
        return file;
    }

    /** A regular file (a symbolic link is not followed) owned by this user, writable by no one else, one name. */
    public static void requireOwnFile(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new UnsafePathException(file, "is a symbolic link (to " + Files.readSymbolicLink(file)
                    + "); refusing to follow it");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafePathException(file, "is not a regular file");
        }
        int uid = uid(file);
        if (uid != currentUid()) {
            throw new UnsafePathException(file, "belongs to another user (uid " + uid + ")");
        }
        if ((mode(file) & GROUP_OR_OTHERS_WRITE) != 0) {
            throw new UnsafePathException(file, "is writable by other users (mode "
                    + Integer.toOctalString(mode(file) & 0777) + ")");
        }
        if ((int) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS) != 1) {
            throw new UnsafePathException(file, "has other names (hard links) that someone else may have made");
        }
    }

    private static void requireOwnDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafePathException(dir, Files.isSymbolicLink(dir)
                    ? "is a symbolic link; refusing to follow it" : "is not a directory");
        }
        int uid = uid(dir);
        if (uid != currentUid()) {
            throw new UnsafePathException(dir, "belongs to another user (uid " + uid + ")");
        }
        if ((mode(dir) & GROUP_OR_OTHERS_ANY) != 0) {
            if ((mode(dir) & GROUP_OR_OTHERS_WRITE) != 0 && hasForeignEntries(dir)) {
                throw new UnsafePathException(dir, "is writable by other users and holds their files");
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static boolean hasForeignEntries(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (uid(entry) != currentUid()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** This process's user, as the kernel sees it: the owner of {@code /proc/self}. */
    public static int currentUid() throws IOException {
        return (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static int uid(Path path) throws IOException {
        return (int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static int mode(Path path) throws IOException {
        return (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }
}
