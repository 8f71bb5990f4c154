package dev.relib.engine.agent;

import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.files.OwnerOnlyPaths;
import dev.relib.engine.files.UserDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;

/**
 * Finds and loads {@code librelib_agent.so}: the system property {@value #PATH_PROPERTY} if set,
 * else the copy inside the jar extracted to {@code $XDG_CACHE_HOME/relib/agent-<sha256 prefix>/}
 * (fallback {@code ~/.cache}), reused while its content hash matches. The hash is the one the build
 * wrote beside the library, and a copy found to hold the jar's bytes is not read again while its
 * stamp (inode, size, modification and change times) is the one recorded then: hashing the
 * megabytes of the agent took most of a second in a JVM without C2 (the worker) and a few hundred
 * milliseconds of every shell's start. The agent is never unloaded, so JNR's loader is fine for it.
 */
final class AgentLibrary {

    /** must match: RELIB_AGENT_ABI in relib_agent.h */
    static final int EXPECTED_ABI = 9;

    static final String PATH_PROPERTY = "relib.agent.path";
    static final String RESOURCE = "/native/linux-x86_64/librelib_agent.so";
    static final String FILE_NAME = "librelib_agent.so";
    /** The build's {@code sha256sum} of the resource, written by engine/src/main/c/Makefile. */
    static final String HASH_RESOURCE = RESOURCE + ".sha256";
    /** Beside the extracted copy: the stamp the copy had when it was found to hold the jar's bytes. */
    static final String VERIFIED_NAME = FILE_NAME + ".verified";

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
     * file (device and inode, unchanged since) is what gets returned for loading. Later calls trust
     * that check while the file's stamp is the one recorded beside it.
     */
    static Path locate(String configured, Path cacheRoot) {
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isRegularFile(path)) {
                throw new EngineFailure("agent.unavailable", PATH_PROPERTY + " names " + path + ", which is not a file");
            }
            return path;
        }
        String hash = resourceHash().substring(0, 16);
        Path dir = cacheRoot.resolve("relib").resolve("agent-" + hash);
        Path file = dir.resolve(FILE_NAME);
        Path verified = dir.resolve(VERIFIED_NAME);
        try {
            OwnerOnlyPaths.directory(dir);
            if (verifiedBefore(file, verified)) {
                return file;
            }
            byte[] content = resourceBytes();
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && holds(file, content)) {
                recordVerified(file, verified);
                return file;
            }
            Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            recordVerified(file, verified);
            return file;
        } catch (IOException e) {
            throw new EngineFailure("agent.unavailable", "cannot extract the native agent to " + dir + ": " + e.getMessage()
                    + "; set -D" + PATH_PROPERTY + "=/path/to/" + FILE_NAME, e);
        }
    }

    /**
     * Whether {@code file} is this user's own and unchanged since it was found to hold the jar's
     * bytes: any write, rename or chmod moves its change time, which no one can set back.
     */
    private static boolean verifiedBefore(Path file, Path verified) throws IOException {
        if (!Files.exists(verified, LinkOption.NOFOLLOW_LINKS) || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            OwnerOnlyPaths.requireOwnFile(file);
            OwnerOnlyPaths.requireOwnFile(verified);
        } catch (OwnerOnlyPaths.UnsafePathException e) {
            return false;
        }
        return Files.readString(verified).equals(stamp(file));
    }

    private static void recordVerified(Path file, Path verified) throws IOException {
        Path temp = Files.createTempFile(verified.getParent(), VERIFIED_NAME, ".tmp");
        Files.writeString(temp, stamp(file));
        Files.move(temp, verified, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String stamp(Path file) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(file, "unix:ino,dev,size,lastModifiedTime,ctime",
                LinkOption.NOFOLLOW_LINKS);
        return attributes.get("dev") + " " + attributes.get("ino") + " " + attributes.get("size") + " "
                + ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS) + " "
                + ((FileTime) attributes.get("ctime")).to(TimeUnit.NANOSECONDS) + "\n";
    }

    /** The build's hash of the resource; computed from its bytes when a build did not write it. */
    private static String resourceHash() {
        try (InputStream in = AgentLibrary.class.getResourceAsStream(HASH_RESOURCE)) {
            if (in != null) {
                String hash = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (hash.matches("[0-9a-f]{64}")) {
                    return hash;
                }
            }
        } catch (IOException e) {
            // Computed below, as from a build that wrote no hash.
        }
        return HexFormat.of().formatHex(sha256(resourceBytes()));
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
