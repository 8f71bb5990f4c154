package dev.relib.engine.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.loader.FileIdentities;
import dev.relib.engine.model.FileIdentity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessMapsTest {

    @Test
    void parsesFileAnonymousAndPseudoMappingsIncludingPathsWithSpaces() {
        List<Mapping> mappings = ProcessMaps.parse("""
                7f1c2a000000-7f1c2a021000 r-xp 00001000 fe:01 1234567                    /tmp/my dir/libx.so (deleted)
                7ffd5c3f1000-7ffd5c412000 rw-p 00000000 00:00 0                          [stack]
                7f1c2b000000-7f1c2b100000 rw-p 00000000 00:00 0
                """);

        assertThat(mappings).hasSize(3);
        Mapping file = mappings.get(0);
        assertThat(file.start()).isEqualTo(0x7f1c2a000000L);
        assertThat(file.length()).isEqualTo(0x21000L);
        assertThat(file.permissions()).isEqualTo("r-xp");
        assertThat(file.offset()).isEqualTo(0x1000L);
        assertThat(file.deviceMajor()).isEqualTo(0xfe);
        assertThat(file.deviceMinor()).isEqualTo(1);
        assertThat(file.inode()).isEqualTo(1234567L);
        assertThat(file.path()).isEqualTo("/tmp/my dir/libx.so (deleted)");
        assertThat(mappings.get(1).path()).isEqualTo("[stack]");
        assertThat(mappings.get(2).isFile()).isFalse();
        assertThat(mappings.get(2).path()).isEmpty();
    }

    @Test
    void findsTheLibrariesThisJvmHasMappedByDeviceAndInode() {
        Mapping libjvm = ProcessMaps.snapshot().stream()
                .filter(m -> m.path().endsWith("/libjvm.so")).findFirst().orElseThrow();
        FileIdentity identity = FileIdentities.of(Path.of(libjvm.path()));

        assertThat(ProcessMaps.mappingsOf(identity)).isNotEmpty().allMatch(m -> m.path().equals(libjvm.path()));
    }

    @Test
    void findsOneFilesMappingsAmongAllWithTheSameAnswerAsAFullParse() {
        for (Mapping any : ProcessMaps.snapshot().stream().filter(Mapping::isFile).limit(20).toList()) {
            FileIdentity identity = FileIdentities.of(Path.of(any.path().replace(" (deleted)", "")));
            List<Mapping> full = ProcessMaps.snapshot().stream().filter(m -> m.maps(identity)).toList();

            assertThat(ProcessMaps.mappingsOf(identity)).as(any.path()).containsExactlyElementsOf(full);
        }
    }
}
