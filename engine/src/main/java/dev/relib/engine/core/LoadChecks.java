package dev.relib.engine.core;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.loader.FileStamp;
import dev.relib.engine.loader.NeededResolver;
import dev.relib.engine.model.CheckFinding;
import dev.relib.engine.model.CheckFinding.Severity;
import dev.relib.engine.model.FileIdentity;
import dev.relib.engine.model.LoadCheckReport;
import dev.relib.engine.model.RelibInfo;
import dev.relib.engine.relib.RelibChecks;
import dev.relib.engine.relib.RelibFile;
import dev.relib.engine.sdk.HostImports;
import dev.relib.engine.sdk.SdkManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The before-load checks: a valid x86-64 ELF shared object, not already loaded (by device and
 * inode: as a module's source, or as any object in the dynamic linker's list), every {@code DT_NEEDED}
 * resolvable. Run alone by {@code check load}, and before every load. A file that passed the ELF
 * checks is not read again while its stamp (identity, size, modification time) proves it unchanged:
 * a reload of an unchanged file spent half its time re-validating it.
 */
final class LoadChecks {

    /** What the checks learned about a file that passed the ELF validation. */
    record Inspected(Path path, FileStamp stamp, ElfFile elf, FileIdentity identity, List<String> unresolvedNeeded,
                     Optional<String> loadedAs, boolean mappedByOthers) {
    }

    /** A file that passed the ELF checks, and what it looked like just before it was read. */
    private record CheckedFile(FileStamp stamp, long readAtNanos, ElfFile elf) {
    }

    /** Enough for the modules of a session; the oldest entry goes first. */
    private static final int CHECKED_FILES = 32;

    private final Map<Path, CheckedFile> checkedFiles = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, CheckedFile> eldest) {
            return size() > CHECKED_FILES;
        }
    };
    private final ModuleRegistry registry;
    private final DynamicLinker linker;
    private final NeededResolver neededResolver;
    private final HostImports hostImports;
    private final RelibChecks relibChecks;

    LoadChecks(ModuleRegistry registry, DynamicLinker linker, NeededResolver neededResolver, HostImports hostImports,
               RelibChecks relibChecks) {
        this.relibChecks = relibChecks;
        this.registry = registry;
        this.linker = linker;
        this.neededResolver = neededResolver;
        this.hostImports = hostImports;
    }

    /** Validates the file; throws the first {@link LoadError} that stops it from being loaded here at all. */
    Inspected inspect(Path requested) {
        Path path = requested.toAbsolutePath().normalize();
        FileStamp stamp = FileStamp.of(path);
        if (stamp.identity() == null) {
            requireReachable(path);
        }
        ElfFile elf = checkedElf(path, stamp);
        FileIdentity identity = stamp.identityOf(path);
        Optional<String> loadedAs = registry.bySource(identity).map(LoadedModule::name);
        boolean mappedByOthers = loadedAs.isEmpty() && linker.listsFile(identity);
        List<String> unresolved = neededResolver.unresolved(elf.dynamic().needed(), path.getParent(),
                elf.dynamic().rpath().orElse(null), elf.dynamic().runpath().orElse(null));
        return new Inspected(path, stamp, elf, identity, unresolved, loadedAs, mappedByOthers);
    }

    /**
     * Called when the file could not be stat'ed, to say why. Files.exists says "no" for a file it
     * may not look at, or whose name is too long: each has its own message (issue 16.7), and only a
     * missing file is "no such file".
     */
    private static void requireReachable(Path path) {
        try {
            Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new LoadError.FileNotFound(path);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new LoadError.Unreadable(path, "permission denied: a directory on the way cannot be searched, "
                    + "or the file is not yours to read");
        } catch (java.nio.file.FileSystemException e) {
            throw new LoadError.Unreadable(path, e.getReason() != null ? e.getReason() : String.valueOf(e.getMessage()));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new LoadError.Unreadable(path, String.valueOf(e.getMessage()));
        }
    }

    /** The validated tables of {@code path}: those read before when its stamp proves it unchanged since. */
    private ElfFile checkedElf(Path path, FileStamp stamp) {
        CheckedFile known = checkedFiles.get(path);
        if (known != null && known.stamp().equals(stamp) && !stamp.racyAt(known.readAtNanos())) {
            return known.elf();
        }
        long readAt = FileStamp.nowNanos();
        ElfFile elf = ElfFile.open(path);
        elf.requireLoadableHere();
        elf.requireSafeToLoad();
        if (stamp.identity() != null) {
            checkedFiles.put(path, new CheckedFile(stamp, readAt, elf));
        }
        return elf;
    }

    /** The report of {@code check load}: every finding, blocking or not; never throws for a bad file. */
    LoadCheckReport report(Path requested) {
        Path path = requested.toAbsolutePath().normalize();
        try {
            Inspected inspected = inspect(path);
            ElfFile elf = inspected.elf();
            List<CheckFinding> findings = new ArrayList<>(findings(inspected));
            if (elf.dynamic().nodelete()) {
                findings.add(new CheckFinding("nodelete", Severity.WARNING,
                        "DF_1_NODELETE is set: the object will stay mapped after unload"));
            }
            if (elf.hasGnuUniqueSymbols()) {
                findings.add(new CheckFinding("gnu_unique", Severity.WARNING,
                        "it defines STB_GNU_UNIQUE symbols: glibc will never unload it"));
            }
            Optional<SdkManifest> manifest = SdkManifest.of(elf);
            manifest.ifPresent(sdk -> findings.addAll(sdkFindings(path, sdk)));
            Optional<RelibFile> relib = RelibFile.of(elf);
            RelibInfo relibInfo = relib.map(file -> relibChecks.describe(file)).orElse(null);
            relib.ifPresent(file -> findings.addAll(relibChecks.findings(path, file, relibInfo,
                    registry.all().stream().map(LoadedModule::info).toList())));
            if (findings.stream().noneMatch(f -> f.severity() != Severity.INFO)) {
                findings.add(new CheckFinding("ok", Severity.INFO, "ready to load"));
            }
            return new LoadCheckReport(path, elf.rustcVersion().orElse(null),
                    elf.dynamic().needed(), inspected.unresolvedNeeded(), findings, relibInfo);
        } catch (LoadError e) {
            return new LoadCheckReport(path, null, List.of(), List.of(),
                    List.of(new CheckFinding(e.code(), Severity.BLOCKING, e.getMessage())));
        }
    }

    /** What the manifests say, read from the file: the exports, and imports nothing would bind. */
    private List<CheckFinding> sdkFindings(Path path, SdkManifest manifest) {
        List<CheckFinding> findings = new ArrayList<>();
        findings.add(new CheckFinding("sdk_module", Severity.INFO, "relib SDK module; manifest: "
                + String.join(", ", manifest.exports())
                + (manifest.imports().isEmpty() ? "" : "; imports: " + String.join(", ", manifest.imports()))));
        List<String> unbound = hostImports.unbound(null, manifest.imports());
        if (!unbound.isEmpty()) {
            findings.add(new CheckFinding("load.unbound_imports", Severity.BLOCKING,
                    new LoadError.UnboundImports(path, unbound).getMessage()));
        }
        return findings;
    }

    /** The blocking findings of an inspected file: already loaded, mapped, unresolved needs. */
    static List<CheckFinding> findings(Inspected inspected) {
        List<CheckFinding> findings = new ArrayList<>();
        inspected.loadedAs().ifPresent(name -> findings.add(new CheckFinding("load.already_loaded", Severity.BLOCKING,
                new LoadError.AlreadyLoaded(inspected.path(), name).getMessage())));
        if (inspected.mappedByOthers()) {
            findings.add(new CheckFinding("load.already_loaded", Severity.BLOCKING,
                    new LoadError.AlreadyLoaded(inspected.path(), null).getMessage()));
        }
        if (!inspected.unresolvedNeeded().isEmpty()) {
            findings.add(new CheckFinding("load.needed_unresolved", Severity.BLOCKING,
                    new LoadError.UnresolvedNeeded(inspected.path(), inspected.unresolvedNeeded()).getMessage()));
        }
        return findings;
    }
}
