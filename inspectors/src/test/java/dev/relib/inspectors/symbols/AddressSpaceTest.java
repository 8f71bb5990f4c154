package dev.relib.inspectors.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.process.Mapping;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every mapping of this process is found at its first and last byte, the lowest and [vsyscall] too. */
class AddressSpaceTest {

    @Test
    void everyMappingIsFoundAtItsFirstAndLastByte() {
        AddressSpace space = AddressSpace.capture();
        List<Mapping> mappings = space.mappings();

        assertThat(mappings).allSatisfy(m -> {
            assertThat(space.mappingAt(m.start())).as("%x %s", m.start(), m.path()).hasValueSatisfying(
                    found -> assertThat(found.start()).isEqualTo(m.start()));
            assertThat(space.mappingAt(m.end() - 1)).as("%x %s", m.end() - 1, m.path()).isPresent();
        });
        // The lowest mapping (the JVM's heap, often) is the one a signed order put after [vsyscall].
        Mapping lowest = mappings.stream().min(Comparator.comparing(Mapping::start, Long::compareUnsigned)).orElseThrow();
        assertThat(space.mappingAt(lowest.start())).contains(lowest);
    }

    @Test
    void addressesOutsideEveryMappingAreInNone() {
        AddressSpace space = AddressSpace.capture();

        assertThat(space.mappingAt(0x10)).isEmpty();
        assertThat(space.mappingAt(-1L)).as("the last byte of the address space").isEmpty();
    }
}
