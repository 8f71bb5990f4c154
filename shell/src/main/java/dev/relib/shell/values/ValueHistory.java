package dev.relib.shell.values;

import dev.relib.shell.UsageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every value a command produced in this session, numbered as gdb and jshell do: {@code $1},
 * {@code $2}, ... and {@code $_} for the last. A reference as a whole argument passes the value.
 */
public final class ValueHistory {

    /**
     * @param number  its {@code $N}
     * @param type    canonical type ({@code u32}, {@code *mut u8}, {@code &str})
     * @param value   JSON-friendly data
     * @param display as the shell showed it
     * @param origin  the command that produced it
     */
    public record Kept(int number, String type, Object value, String display, String origin) {
        public String name() {
            return "$" + number;
        }

        /** The value as a call argument. */
        public String literal() {
            return ValueLiteral.of(type, value);
        }
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$(\\d+|_)");

    private final List<Kept> kept = new ArrayList<>();

    public Kept keep(String type, Object value, String display, String origin) {
        Kept next = new Kept(kept.size() + 1, type, value, display, origin);
        kept.add(next);
        return next;
    }

    public List<Kept> all() {
        return Collections.unmodifiableList(kept);
    }

    /** Whether the word is a whole {@code $N} or {@code $_}. */
    public static boolean isReference(String word) {
        return REFERENCE.matcher(word).matches();
    }

    /**
     * @throws UsageException for a number not yet given, or {@code $_} before any value
     */
    public Kept resolve(String reference) {
        Matcher m = REFERENCE.matcher(reference);
        if (!m.matches()) {
            throw new UsageException("'" + reference + "' is not a value reference; write $1, $2, ... or $_");
        }
        if (kept.isEmpty()) {
            throw new UsageException(reference + ": no values yet; every call result, buffer and read value is kept as $1, $2, ...");
        }
        if (m.group(1).equals("_")) {
            return kept.get(kept.size() - 1);
        }
        int number;
        try {
            number = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 1 || number > kept.size()) {
            throw new UsageException(reference + ": no such value; they go from $1 to $" + kept.size() + " (list them with: values)");
        }
        return kept.get(number - 1);
    }

    /** The words with each whole {@code $N}/{@code $_} replaced by its value's literal. */
    public List<String> substitute(List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        for (String word : words) {
            out.add(isReference(word) ? resolve(word).literal() : word);
        }
        return out;
    }
}
