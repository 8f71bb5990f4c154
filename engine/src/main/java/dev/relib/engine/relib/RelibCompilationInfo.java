package dev.relib.engine.relib;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of a relib compilation-info string, {@code "{rustc}|{host}|{llvm}|{relib}|{unloading}"},
 * and what relib_host 0.7 would say about them.
 */
public record RelibCompilationInfo(String text, String rustc, String hostTriple, String llvm, String relibVersion,
                                   boolean unloading) {

    /** The relib version this shell speaks. */
    public static final String SUPPORTED_VERSION = "0.7.0";

    /** The fields, or empty when the text does not have relib's five fields. */
    public static Optional<RelibCompilationInfo> parse(String text) {
        String[] fields = text.split("\\|", -1);
        if (fields.length != 5 || !(fields[4].equals("0") || fields[4].equals("1"))) {
            return Optional.empty();
        }
        return Optional.of(new RelibCompilationInfo(text, fields[0], fields[1], fields[2], fields[3],
                fields[4].equals("1")));
    }

    /**
     * What relib_host would refuse: another relib version, or an unloading flag that the module's
     * symbols contradict (a mixed build: the flag says one thing, the internal exports another).
     *
     * @param hasInternalInit whether the file defines {@code __relib_____Internal___Exports____init}
     */
    public List<String> refusals(boolean hasInternalInit) {
        List<String> refusals = new ArrayList<>();
        if (!relibVersion.equals(SUPPORTED_VERSION)) {
            refusals.add("built for relib " + relibVersion + ", and relib_host " + SUPPORTED_VERSION
                    + " compares the whole compilation info: module is compiled with different configuration");
        }
        if (unloading != hasInternalInit) {
            refusals.add(unloading
                    ? "its compilation info says unloading=1 but it has no relib internal exports (mixed unloading flags)"
                    : "its compilation info says unloading=0 but it has relib's internal exports (mixed unloading flags)");
        }
        return refusals;
    }

    /** What relib_host would refuse about loading this module beside {@code other} in one host. */
    public Optional<String> conflictWith(String otherName, RelibCompilationInfo other) {
        if (rustc.equals(other.rustc) && llvm.equals(other.llvm) && unloading == other.unloading) {
            return Optional.empty();
        }
        return Optional.of("its compilation info differs from loaded relib module " + otherName + "'s ("
                + text + " vs " + other.text + "): one relib_host would refuse one of them");
    }
}
