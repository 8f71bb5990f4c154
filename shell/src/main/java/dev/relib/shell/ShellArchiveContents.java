package dev.relib.shell;

import dev.relib.engine.worker.ArchiveContents;
import java.util.List;

/**
 * The shell's part of its class-data archive: the launcher's first run lists the classes the JVM
 * loads, and the archive is dumped from that list, so this run loads every class of the shell's
 * packages before it exits, not only those of the commands its session used.
 */
final class ShellArchiveContents {

    /** Set by the launcher on the run whose classes make the archive. */
    static final String LISTING_PROPERTY = "relib.shell.listsClasses";

    /**
     * Not all of Jackson, as the worker's list has it: the shell builds its (de)serializers of every
     * worker message at start in any session, and the other 900 classes cost a second of dump.
     */
    private static final List<String> PACKAGES = List.of("dev/relib/shell/", "dev/relib/engine/",
            "dev/relib/inspectors/", "picocli/", "org/jline/");

    private ShellArchiveContents() {
    }

    static void loadAllIfListing() {
        if (Boolean.getBoolean(LISTING_PROPERTY)) {
            ArchiveContents.loadAll(System.getProperty("java.class.path"), Main.class.getClassLoader(), PACKAGES);
        }
    }
}
