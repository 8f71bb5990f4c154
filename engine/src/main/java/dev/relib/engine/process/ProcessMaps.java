package dev.relib.engine.process;

import dev.relib.engine.model.FileIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code /proc/self/maps}. A read costs a few hundred microseconds with a JVM's ~1,000
 * mappings (NATIVE-NOTES.md), so callers take one snapshot per check, never one per question.
 */
public final class ProcessMaps {

    private static final Path SELF_MAPS = Path.of("/proc/self/maps");

    private ProcessMaps() {
    }

    /** The current mappings of this process. */
    public static List<Mapping> snapshot() {
        try {
            return parse(Files.readString(SELF_MAPS, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SELF_MAPS, e);
        }
    }

    /**
     * The mappings of one file in this process right now. Only lines whose inode field matches are
     * parsed: this runs twice per load and unload cycle, against a JVM's thousand-odd mappings.
     */
    public static List<Mapping> mappingsOf(FileIdentity file) {
        String text;
        try {
            text = Files.readString(SELF_MAPS, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SELF_MAPS, e);
        }
        String inode = Long.toString(file.inode());
        List<Mapping> found = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (inodeFieldIs(text, start, end, inode)) {
                Mapping mapping = parseLine(text.substring(start, end));
                if (mapping.maps(file)) {
                    found.add(mapping);
                }
            }
            start = end + 1;
        }
        return found;
    }

    /** The fifth space-separated field of the line {@code [start, end)} equals {@code inode}. */
    private static boolean inodeFieldIs(String text, int start, int end, String inode) {
        int field = start;
        for (int i = 0; i < 4; i++) {
            field = text.indexOf(' ', field);
            if (field < 0 || field >= end) {
                return false;
            }
            field++;
        }
        return text.startsWith(inode, field) && (field + inode.length() == end || text.charAt(field + inode.length()) == ' ');
    }

    /**
     * Mappings in {@code /proc/PID/maps} format, as a crash report carries them; lines that are not
     * mappings are skipped.
     */
    public static List<Mapping> parseLines(List<String> lines) {
        List<Mapping> mappings = new ArrayList<>();
        for (String line : lines) {
            try {
                if (!line.isBlank()) {
                    mappings.add(parseLine(line.strip()));
                }
            } catch (RuntimeException e) {
                // A truncated or foreign line: the rest of the report stays usable.
            }
        }
        return mappings;
    }

    static List<Mapping> parse(String text) {
        List<Mapping> mappings = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                mappings.add(parseLine(line));
            }
        }
        return mappings;
    }

    /** {@code start-end perms offset major:minor inode   path}; the path may contain spaces. */
    private static Mapping parseLine(String line) {
        int cursor = 0;
        int dash = line.indexOf('-');
        int space = line.indexOf(' ', dash);
        long start = Long.parseUnsignedLong(line.substring(cursor, dash), 16);
        long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
        cursor = space + 1;
        space = line.indexOf(' ', cursor);
        String permissions = line.substring(cursor, space);
        cursor = space + 1;
        space = line.indexOf(' ', cursor);
        long offset = Long.parseUnsignedLong(line.substring(cursor, space), 16);
        cursor = space + 1;
        space = line.indexOf(' ', cursor);
        String device = line.substring(cursor, space);
        int colon = device.indexOf(':');
        int major = Integer.parseInt(device.substring(0, colon), 16);
        int minor = Integer.parseInt(device.substring(colon + 1), 16);
        cursor = space + 1;
        space = line.indexOf(' ', cursor);
        long inode = Long.parseLong(space < 0 ? line.substring(cursor) : line.substring(cursor, space));
        String path = space < 0 ? "" : line.substring(space).strip();
        return new Mapping(start, end, permissions, offset, major, minor, inode, path);
    }
}
