package dev.relib.engine.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.model.FileIdentity;
import dev.relib.engine.testing.SampleModules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statx stamp says what the JDK's unix view says of the same file, to the nanosecond. */
class StatxTest {

    @Test
    void agreesWithTheJdkOnFilesDirectoriesDevicesAndLinks(@TempDir Path dir) throws Exception {
        Path file = Files.copy(SampleModules.c("cstr"), dir.resolve("libcstr.so"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T03:04:05.123456789Z")));
        Path link = Files.createSymbolicLink(dir.resolve("link.so"), file);
        for (Path path : new Path[] {file, link, dir, Path.of("/dev/null"), Path.of("/proc/self/exe")}) {
            Map<String, Object> jdk = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime");
            FileStamp expected = new FileStamp(new FileIdentity(((Number) jdk.get("dev")).longValue(),
                    ((Number) jdk.get("ino")).longValue()), ((Number) jdk.get("size")).longValue(),
                    ((FileTime) jdk.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
            assertThat(Statx.stamp(path)).as(path.toString()).contains(expected);
            assertThat(FileStamp.of(path)).as(path.toString()).isEqualTo(expected);
            assertThat(FileIdentities.of(path)).as(path.toString()).isEqualTo(expected.identity());
        }
        assertThat(FileStamp.of(file).modifiedNanos() % 1_000_000_000L).isEqualTo(123_456_789L);
    }

    @Test
    void aMissingFileHasNoStampAndTheJdkSaysWhy(@TempDir Path dir) {
        Path missing = dir.resolve("gone.so");
        assertThat(Statx.stamp(missing)).isEmpty();
        assertThat(FileStamp.of(missing).identity()).isNull();
        assertThat(FileStamp.of(missing).size()).isEqualTo(-1);
    }
}
