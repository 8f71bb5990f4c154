package dev.relib.engine.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.error.EngineFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class AgentLibraryTest {

    @TempDir
    Path cache;

    @Test
    void extractsIntoAPrivateDirectoryNamedByContentHashAndReusesIt() throws IOException {
        Path file = AgentLibrary.locate(null, cache);

        assertThat(file.getFileName().toString()).isEqualTo("librelib_agent.so");
        assertThat(file.getParent().getFileName().toString()).matches("agent-[0-9a-f]{16}");
        assertThat(file.getParent().getParent()).isEqualTo(cache.resolve("relib"));
        assertThat(Files.readAllBytes(file)).isEqualTo(resource());
        for (Path dir : new Path[] {file.getParent(), file.getParent().getParent()}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        }
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, old);
        assertThat(AgentLibrary.locate(null, cache)).isEqualTo(file);
        assertThat(Files.getLastModifiedTime(file)).as("reused, not rewritten").isEqualTo(old);
    }

    @Test
    void replacesACorruptedCopy() throws IOException {
        Path file = AgentLibrary.locate(null, cache);
        Files.write(file, new byte[] {1, 2, 3});
        assertThat(AgentLibrary.locate(null, cache)).isEqualTo(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(resource());
    }

    @Test
    void aCopyRewrittenInPlaceIsCaughtEvenWithItsSizeAndTimeKept() throws IOException {
        Path file = AgentLibrary.locate(null, cache);
        assertThat(file.resolveSibling(AgentLibrary.VERIFIED_NAME)).as("its stamp recorded").exists();
        FileTime modified = Files.getLastModifiedTime(file);
        byte[] tampered = resource();
        tampered[tampered.length / 2] ^= 0x5a;
        Files.write(file, tampered);
        Files.setLastModifiedTime(file, modified);

        assertThat(AgentLibrary.locate(null, cache)).isEqualTo(file);
        assertThat(Files.readAllBytes(file)).as("the change time moved: checked again and replaced").isEqualTo(resource());
    }

    @Test
    void theDirectoryIsNamedByTheHashTheBuildWrote() throws IOException, java.security.NoSuchAlgorithmException {
        String built;
        try (InputStream in = AgentLibrary.class.getResourceAsStream(AgentLibrary.HASH_RESOURCE)) {
            assertThat(in).as("the build writes the hash beside the library").isNotNull();
            built = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        }
        String actual = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(resource()));
        assertThat(built).isEqualTo(actual);
        assertThat(AgentLibrary.locate(null, cache).getParent().getFileName().toString())
                .isEqualTo("agent-" + actual.substring(0, 16));
    }

    @Test
    void aPlantedLinkIsReplacedAndWhatItPointsToIsLeftAlone() throws IOException {
        Path file = AgentLibrary.locate(null, cache);
        Path elsewhere = Files.write(cache.resolve("elsewhere.so"), resource());
        Files.delete(file);
        Files.createSymbolicLink(file, elsewhere);

        assertThat(AgentLibrary.locate(null, cache)).isEqualTo(file);
        assertThat(Files.isSymbolicLink(file)).as("replaced by a file of its own").isFalse();
        assertThat(Files.readAllBytes(file)).isEqualTo(resource());
        assertThat(Files.exists(elsewhere)).isTrue();
    }

    @Test
    void aCacheDirectoryOfAnotherUserIsRefused() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.relib.engine.files.OwnerOnlyPaths.currentUid() == 0,
                "needs root to give a directory to another user");
        Path relib = Files.createDirectories(cache.resolve("relib"));
        Files.setAttribute(relib, "unix:uid", 65534);

        assertThatThrownBy(() -> AgentLibrary.locate(null, cache))
                .isInstanceOfSatisfying(EngineFailure.class, e -> assertThat(e.code()).isEqualTo("agent.unavailable"))
                .hasMessageContaining("belongs to another user (uid 65534)");
    }

    @Test
    void aConfiguredPathWinsAndMustExist() {
        Path missing = cache.resolve("nowhere.so");
        assertThatThrownBy(() -> AgentLibrary.locate(missing.toString(), cache))
                .isInstanceOfSatisfying(EngineFailure.class, e -> assertThat(e.code()).isEqualTo("agent.unavailable"))
                .hasMessageContaining(missing.toString());
        Path extracted = AgentLibrary.locate(null, cache);
        assertThat(AgentLibrary.locate(extracted.toString(), cache.resolve("unused"))).isEqualTo(extracted);
    }

    @Test
    void theLoadedAgentHasTheExpectedAbi() {
        assertThat(Agent.load().abiVersion()).isEqualTo(AgentLibrary.EXPECTED_ABI);
    }

    private static byte[] resource() throws IOException {
        try (InputStream in = AgentLibrary.class.getResourceAsStream(AgentLibrary.RESOURCE)) {
            assertThat(in).isNotNull();
            return in.readAllBytes();
        }
    }
}
