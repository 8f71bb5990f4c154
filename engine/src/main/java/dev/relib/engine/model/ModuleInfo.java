package dev.relib.engine.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A loaded module, as values.
 *
 * @param id           stable for the life of the engine, never reused
 * @param name         unique among loaded modules
 * @param source       the file the user named
 * @param loadedFrom   the file that was dlopened (the shadow copy, or {@code source} with {@code --no-copy})
 * @param identity     device and inode of {@code source} at load time
 * @param loadedFromIdentity device and inode of {@code loadedFrom}: what the final unload check looks for
 * @param baseAddress  the load bias ({@code link_map.l_addr})
 * @param fileSize     bytes
 * @param buildId      GNU build id in hex, or null
 * @param rustcVersion from {@code .comment}, or null for non-Rust objects
 * @param needed       {@code DT_NEEDED} entries
 * @param nodelete     {@code DF_1_NODELETE} is set: dlclose will not unmap it
 * @param tracked      the native agent is attached
 * @param kind         plain shared object or relib SDK module
 * @param generation   1 for the first load; each reload makes the next generation under the same id and name
 * @param sdk          what an SDK module reports and how its imports were bound; null for plain modules
 * @param relib        what a relib module's compilation info says and how it was loaded; null for other kinds
 * @param stacks       loaded with {@code --stacks}: its allocations carry call stacks to symbolize
 * @param openFiles    the fds and streams a tracked module has open, as {@code info} reads them; null in the
 *                     {@code modules} list and for an untracked module
 */
public record ModuleInfo(
        int id,
        String name,
        Path source,
        Path loadedFrom,
        FileIdentity identity,
        FileIdentity loadedFromIdentity,
        long baseAddress,
        long fileSize,
        String buildId,
        String rustcVersion,
        List<String> needed,
        boolean nodelete,
        boolean tracked,
        ModuleKind kind,
        int exportCount,
        Instant loadedAt,
        int generation,
        SdkInfo sdk,
        RelibInfo relib,
        boolean stacks,
        OpenFiles openFiles) {

    public ModuleInfo {
        needed = List.copyOf(needed);
    }

    public ModuleInfo(int id, String name, Path source, Path loadedFrom, FileIdentity identity,
                      FileIdentity loadedFromIdentity, long baseAddress, long fileSize, String buildId,
                      String rustcVersion, List<String> needed, boolean nodelete, boolean tracked, ModuleKind kind,
                      int exportCount, Instant loadedAt, int generation, SdkInfo sdk, RelibInfo relib,
                      boolean stacks) {
        this(id, name, source, loadedFrom, identity, loadedFromIdentity, baseAddress, fileSize, buildId, rustcVersion,
                needed, nodelete, tracked, kind, exportCount, loadedAt, generation, sdk, relib, stacks, null);
    }

    /** A module of another kind than relib. */
    public ModuleInfo(int id, String name, Path source, Path loadedFrom, FileIdentity identity,
                      FileIdentity loadedFromIdentity, long baseAddress, long fileSize, String buildId,
                      String rustcVersion, List<String> needed, boolean nodelete, boolean tracked, ModuleKind kind,
                      int exportCount, Instant loadedAt, int generation, SdkInfo sdk) {
        this(id, name, source, loadedFrom, identity, loadedFromIdentity, baseAddress, fileSize, buildId, rustcVersion,
                needed, nodelete, tracked, kind, exportCount, loadedAt, generation, sdk, null, false);
    }

    /** The same module under another id and name. */
    public ModuleInfo renamed(int newId, String newName) {
        return new ModuleInfo(newId, newName, source, loadedFrom, identity, loadedFromIdentity, baseAddress, fileSize,
                buildId, rustcVersion, needed, nodelete, tracked, kind, exportCount, loadedAt, generation, sdk, relib,
                stacks, openFiles);
    }

    /** The same module with its kind-specific parts as they are now. */
    public ModuleInfo withParts(SdkInfo currentSdk, RelibInfo currentRelib) {
        return new ModuleInfo(id, name, source, loadedFrom, identity, loadedFromIdentity, baseAddress, fileSize,
                buildId, rustcVersion, needed, nodelete, tracked, kind, exportCount, loadedAt, generation, currentSdk,
                currentRelib, stacks, openFiles);
    }

    /** The same module with what it has open now. */
    public ModuleInfo withOpenFiles(OpenFiles now) {
        return new ModuleInfo(id, name, source, loadedFrom, identity, loadedFromIdentity, baseAddress, fileSize,
                buildId, rustcVersion, needed, nodelete, tracked, kind, exportCount, loadedAt, generation, sdk, relib,
                stacks, now);
    }
}
