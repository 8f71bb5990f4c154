package dev.relib.engine.agent;

import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.files.OwnerOnlyPaths;
import dev.relib.engine.files.UserDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import jnr.ffi.LibraryLoader;

/**
 * Finds and loads {@code librelib_agent.so}: the system property {@value #PATH_PROPERTY} if set,
 * else the copy inside the jar extracted to {@code $XDG_CACHE_HOME/relib/agent-<sha256 prefix>/}
 * (fallback {@code ~/.cache}), reused while its content hash matches. The agent is never unloaded,
 * so JNR's loader is fine for it.
 */
final class AgentLibrary {

    /** must match: RELIB_AGENT_ABI in relib_agent.h */
    static final int EXPECTED_ABI = 9;

    static final String PATH_PROPERTY = "relib.agent.path";
    static final String RESOURCE = "/native/linux-x86_64/librelib_agent.so";
    static final String FILE_NAME = "librelib_agent.so";

    private AgentLibrary() {
    }

    static AgentFunctions load() {
        Path path = locate(System.getProperty(PATH_PROPERTY), defaultCacheRoot());
        AgentFunctions functions;
        try {
            functions = LibraryLoader.create(AgentFunctions.class).failImmediately().load(path.toString());
        } catch (LinkageError | RuntimeException e) {
            throw new EngineFailure("agent.unavailable", "cannot load the native agent " + path + ": " + e.getMessage(), e);
        }
        int abi = functions.relib_agent_abi();
        if (abi != EXPECTED_ABI) {
            throw new EngineFailure("agent.abi_mismatch", "the native agent " + path + " has ABI version " + abi
                    + " but this engine expects " + EXPECTED_ABI + "; rebuild with mvn package");
        }
        return functions;
    }

    /**
     * The agent's file: the configured path, or the jar's copy extracted under cacheRoot. The cache
     * directory must be this user's alone ({@link OwnerOnlyPaths}), and the file is hashed from
     * the bytes read through one open of it, not looked at by path and then opened again; the same
     * file (device and inode, unchanged since) is what gets returned for loading.
     */
    static Path locate(String configured, Path cacheRoot) {
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isRegularFile(path)) {
                throw new EngineFailure("agent.unavailable", PATH_PROPERTY + " names " + path + ", which is not a file");
            }
            return path;
        }
        byte[] content = resourceBytes();
        String hash = HexFormat.of().formatHex(sha256(content)).substring(0, 16);
        Path dir = cacheRoot.resolve("relib").resolve("agent-" + hash);
        Path file = dir.resolve(FILE_NAME);
        try {
            OwnerOnlyPaths.directory(dir);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && holds(file, content)) {
                return file;
            }
            Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new EngineFailure("agent.unavailable", "cannot extract the native agent to " + dir + ": " + e.getMessage()
                    + "; set -D" + PATH_PROPERTY + "=/path/to/" + FILE_NAME, e);
        }
    }

    /**
     * Whether the file is this user's own regular file and, read through one descriptor opened
     * without following links, exactly {@code content}; anything else is replaced (by renaming
     * over it, which replaces a link, not what it points to).
     */
    private static boolean holds(Path file, byte[] content) throws IOException {
        try {
            OwnerOnlyPaths.requireOwnFile(file);
        } catch (OwnerOnlyPaths.UnsafePathException e) {
            return false;
        }
        Object before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        byte[] read;
        try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
             InputStream in = Channels.newInputStream(channel)) {
            read = in.readNBytes(content.length + 1);
        }
        Object after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        return Objects.equals(before, after) && MessageDigest.isEqual(sha256(read), sha256(content));
    }

    static Path defaultCacheRoot() {
        return UserDirectories.ofThisProcess().cache();
    }

    private static byte[] resourceBytes() {
        try (InputStream in = AgentLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new EngineFailure("agent.unavailable", "the native agent is not on the classpath (" + RESOURCE
                        + ") and -D" + PATH_PROPERTY + " is not set; build the engine with mvn package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new EngineFailure("agent.unavailable", "cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
