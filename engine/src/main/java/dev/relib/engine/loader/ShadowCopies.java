package dev.relib.engine.loader;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.files.TemporaryDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Private copies of module files, so that {@code cargo build} can overwrite the original while the
 * module is loaded, and so that a second instance ({@code --as}) or a new generation gets a file of
 * its own (glibc shares one link map per file). The directory is mode 0700 and removed when the
 * engine closes. A module's copy outlives its unload, and loading the unchanged file again under
 * the same name reuses it: "unchanged" is the source's device, inode, size and modification time,
 * trusted only once the modification is older than the clock's granularity could hide. A retired
 * generation's copy is kept as the spare of its source: the next reload of the unchanged file takes
 * it instead of copying again (a reload needs a file other than the running generation's, so
 * reloads alternate between two copies). Copies that will not be loaded again are deleted on a
 * background thread: unlinking a few megabytes took a quarter of a reload.
 */
public final class ShadowCopies implements AutoCloseable {

    /** @param stamp the copy's own stamp, taken when it was made: a private file nobody rewrites */
    private record Copy(Path sourcePath, FileStamp source, long copiedAtNanos, Path file, FileStamp stamp) {
        /** Made from the source as it is now, the stamp proves that, and the copy is still the file made. */
        boolean upToDate(FileStamp now) {
            return source.equals(now) && !now.racyAt(copiedAtNanos) && FileStamp.of(file).equals(stamp);
        }
    }

    private final Path root;
    /** Copies whose symbols something still needs (a kept panic's frames point into them) are not deleted. */
    private final Predicate<Path> stillNeeded;
    private final Map<String, Copy> byName = new HashMap<>();
    /** Retired, unmapped copies by source path: at most one each, ready for the next reload. */
    private final Map<Path, Copy> spares = new HashMap<>();
    /** The parsed tables of each copy: a copy is private and never rewritten, so they stay true. */
    private final Map<Path, ElfFile> elfByCopy = new HashMap<>();
    private final ExecutorService deleter = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "relib-shadow-deleter");
        thread.setDaemon(true);
        return thread;
    });
    private int made;

    private ShadowCopies(Path root, Predicate<Path> stillNeeded) {
        this.root = root;
        this.stillNeeded = stillNeeded;
    }

    /** A fresh private directory under the system temp directory. */
    public static ShadowCopies create() {
        return create(copy -> false);
    }

    /** @param stillNeeded copies it answers true for are kept until close, not deleted when discarded */
    public static ShadowCopies create(Predicate<Path> stillNeeded) {
        try {
            return new ShadowCopies(TemporaryDirectories.create("relib-shadow-"), stillNeeded);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the shadow-copy directory", e);
        }
    }

    public Path root() {
        return root;
    }

    /** The copy of {@code source} for module {@code name}, made unless an up-to-date one exists. */
    public Path copyOf(Path source, String name) {
        return copyOf(source, FileStamp.of(source), name);
    }

    /**
     * As {@link #copyOf(Path, String)}, with the source's stamp the caller took before it read the
     * file: a copy made from a file that changed since is recorded as out of date, and made again next time.
     */
    public Path copyOf(Path source, FileStamp stamp, String name) {
        Copy existing = byName.get(name);
        if (existing != null && existing.upToDate(stamp)) {
            return existing.file();
        }
        Copy spare = spares.remove(source);
        if (spare != null && spare.upToDate(stamp)) {
            byName.put(name, spare);
            if (existing != null) {
                discard(existing.file());
            }
            return spare.file();
        }
        if (spare != null) {
            delete(spare.file());
        }
        try {
            Path dir = Files.createDirectory(root.resolve(name + "-" + ++made));
            Path copy = dir.resolve(source.getFileName());
            // Not NAME.partial: a 255-byte file name leaves no room for a suffix (issue 16.7).
            Path partial = dir.resolve(".partial");
            copyContent(source, partial);
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            byName.put(name, new Copy(source, stamp, FileStamp.nowNanos(), copy, FileStamp.of(copy)));
            if (existing != null) {
                // A mapped file may be deleted: its mapping keeps the inode for as long as it lasts.
                discard(existing.file());
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " into " + root, e);
        }
    }

    /** In the kernel ({@code sendfile}), which is a third cheaper than the JDK's buffered copy here. */
    private static void copyContent(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            for (long done = 0; done < size; ) {
                done += in.transferTo(done, size - done, out);
            }
        }
    }

    /**
     * The tables of a copy this made, parsed once per copy.
     *
     * @throws dev.relib.engine.error.LoadError as {@link ElfFile#open} does
     */
    public ElfFile elfOf(Path copy) {
        ElfFile elf = elfByCopy.get(copy);
        if (elf == null) {
            elf = ElfFile.open(copy);
            if (copy.startsWith(root)) {
                elfByCopy.put(copy, elf);
            }
        }
        return elf;
    }

    /** Removes a copy that will not be loaded again (a failed load): deleted, never a spare. */
    public void discard(Path copy) {
        if (!copy.startsWith(root)) {
            return;
        }
        byName.values().removeIf(entry -> entry.file().equals(copy));
        delete(copy);
    }

    /**
     * The stamp of a copy this made, as last proven: when it was made, or when {@link #copyOf} found it
     * up to date. Empty for any other file.
     */
    public Optional<FileStamp> stampOf(Path copy) {
        return Optional.ofNullable(byFile(copy)).map(Copy::stamp);
    }

    /** The copy this made that is {@code copy} and still serves a module name, or null. */
    private Copy byFile(Path copy) {
        for (Copy entry : byName.values()) {
            if (entry.file().equals(copy)) {
                return entry;
            }
        }
        return null;
    }

    /**
     * A retired generation's copy, no longer mapped: kept as its source's spare while that is
     * unchanged since the copy was made, otherwise removed as by {@link #discard}.
     */
    public void retire(Path copy) {
        retire(copy, null);
    }

    /**
     * As {@link #retire(Path)}, with the source's stamp as the caller took it moments ago (a reload,
     * when it loaded the next generation), or null to take it now. Whether the copy itself is still
     * there is asked when a reload would take it, which stats it then anyway.
     */
    public void retire(Path copy, FileStamp sourceNow) {
        Copy retired = byFile(copy);
        if (retired == null || stillNeeded.test(copy)) {
            discard(copy);
            return;
        }
        byName.values().removeIf(entry -> entry == retired);
        FileStamp source = sourceNow != null ? sourceNow : FileStamp.of(retired.sourcePath());
        if (!retired.source().equals(source) || source.racyAt(retired.copiedAtNanos())) {
            delete(copy);
            return;
        }
        Copy previous = spares.put(retired.sourcePath(), retired);
        if (previous != null) {
            delete(previous.file());
        }
    }

    private void delete(Path copy) {
        elfByCopy.remove(copy);
        if (stillNeeded.test(copy)) {
            return;
        }
        deleter.execute(() -> {
            try {
                Files.deleteIfExists(copy);
                Files.deleteIfExists(copy.getParent());
            } catch (IOException e) {
                // A copy that cannot be removed costs disk only; close() retries with the whole tree.
            }
        });
    }

    /** Waits until every discarded copy is gone from the disk. */
    public void awaitDeletions() {
        try {
            deleter.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the shadow-copy deleter failed", e.getCause());
        }
    }

    @Override
    public void close() {
        deleter.shutdown();
        try {
            deleter.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the shadow copies in " + root, e);
        }
    }
}
