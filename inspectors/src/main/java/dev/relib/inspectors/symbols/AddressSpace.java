package dev.relib.inspectors.symbols;

import dev.relib.engine.process.Mapping;
import dev.relib.engine.process.ProcessMaps;
import java.util.List;
import java.util.Optional;

/**
 * The mappings of a process at one moment, searchable by address. Take it when the addresses
 * are captured (a panic, a thread start, an allocation): a module unloaded since is then still
 * found at the place it occupied.
 */
public final class AddressSpace {

    private final Mapping[] mappings;
    private final long[] starts;

    private AddressSpace(List<Mapping> mappings) {
        // Unsigned, as mappingAt searches: [vsyscall] (0xffffffffff600000) is negative as a long, and
        // sorted first it hid the process's lowest mapping from the search.
        this.mappings = mappings.stream().sorted((a, b) -> Long.compareUnsigned(a.start(), b.start()))
                .toArray(Mapping[]::new);
        this.starts = new long[this.mappings.length];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = this.mappings[i].start();
        }
    }

    /** A space from mappings read earlier ({@link ProcessMaps#snapshot()}). */
    public static AddressSpace of(List<Mapping> mappings) {
        return new AddressSpace(mappings);
    }

    /** This process's mappings now; reading them costs a few hundred microseconds. */
    public static AddressSpace capture() {
        return new AddressSpace(ProcessMaps.snapshot());
    }

    /** The mapping that holds {@code address}. */
    public Optional<Mapping> mappingAt(long address) {
        int low = 0;
        int high = starts.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(starts[mid], address) <= 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (high >= 0 && Long.compareUnsigned(address, mappings[high].end()) < 0) {
            return Optional.of(mappings[high]);
        }
        return Optional.empty();
    }

    public List<Mapping> mappings() {
        return List.of(mappings);
    }
}
