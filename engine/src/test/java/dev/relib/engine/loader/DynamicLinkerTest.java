package dev.relib.engine.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link-map reads that stand in for /proc/self/maps on the unload path, against real objects. */
class DynamicLinkerTest {

    private final DynamicLinker linker = new DynamicLinker();

    @Test
    void anOpenedObjectIsListedUntilItsLastHandleCloses(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(SampleModules.c("cstr"), dir.resolve("libcstr.so"));
        assertThat(linker.isListed(copy)).isFalse();

        long handle = linker.open(copy);
        assertThat(linker.isListed(copy)).isTrue();
        assertThat(linker.isListed(dir.resolve("libother.so"))).isFalse();

        assertThat(linker.close(handle)).isNull();
        assertThat(linker.isListed(copy)).as("glibc dropped it").isFalse();
        assertThat(linker.isOpen(copy)).isFalse();
    }

    @Test
    void onlyObjectsLoadedAfterAnObjectAreAskedWhetherTheyNeedIt() {
        long depended = linker.open(SampleModules.c("depended"));
        long dependent = linker.open(SampleModules.c("dependent"));
        try {
            String path = SampleModules.c("dependent").toString();
            assertThat(linker.objectsLoadedAfterNeeding(depended, "libdepended.so")).containsExactly(path);
            assertThat(linker.objectsNeeding("libdepended.so")).containsExactly(path);
            assertThat(linker.objectsLoadedAfterNeeding(dependent, "libdepended.so")).as("it is not after itself").isEmpty();
        } finally {
            linker.close(dependent);
            linker.close(depended);
        }
    }

    @Test
    void objectsNeedingANameAreReadFromTheirMappedDynamicSections(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(SampleModules.c("cstr"), dir.resolve("libcstr.so"));
        long handle = linker.open(copy);
        try {
            // libcstr.so names libc.so.6 in DT_NEEDED, as readelf -d shows; nothing names libcstr.so.
            assertThat(linker.objectsNeeding("libc.so.6")).contains(copy.toString());
            assertThat(linker.objectsNeeding("libcstr.so")).isEmpty();
            assertThat(linker.objectsNeeding("libc.so")).doesNotContain(copy.toString());
        } finally {
            linker.close(handle);
        }
        assertThat(linker.objectsNeeding("libc.so.6")).doesNotContain(copy.toString());
    }

    @Test
    void aBareNameIsFoundAsItsObjectWasOpenedOrByItsSoname(@TempDir Path dir) throws Exception {
        // libdepended.so is built with -Wl,-soname,libdepended.so; the copy's own file name is another.
        Path renamed = Files.copy(SampleModules.c("depended"), dir.resolve("librenamed.so"));
        assertThat(linker.listsName("libdepended.so")).isFalse();
        long handle = linker.open(renamed);
        try {
            assertThat(linker.listsName("libdepended.so")).as("its soname").isTrue();
            assertThat(linker.listsName(renamed.toString())).as("the path it was opened by").isTrue();
            assertThat(linker.listsName("librenamed.so")).as("a file name that is neither").isFalse();
            assertThat(linker.isOpen(Path.of("libdepended.so"))).as("dlopen agrees").isTrue();
        } finally {
            linker.close(handle);
        }
        assertThat(linker.listsName("libdepended.so")).isFalse();
    }

    @Test
    void whatTheLinkMapsListDlopenFindsOpen() {
        assertThat(linker.listsName("libc.so.6")).isTrue();
        assertThat(linker.listsName("ld-linux-x86-64.so.2")).isTrue();
        for (String name : new String[] {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "libz.so.1",
                "libgcc_s.so.1", "libstdc++.so.6", "ld-linux-x86-64.so.2", "libjvm.so", "libjava.so", "libnowhere.so"}) {
            if (linker.listsName(name)) {
                assertThat(linker.isOpen(Path.of(name))).as(name).isTrue();
            }
        }
        assertThat(linker.listsName("libnowhere.so")).isFalse();
    }

    @Test
    void aLoadedFileIsFoundByDeviceAndInodeUnderAnyName(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(SampleModules.c("cstr"), dir.resolve("libcstr.so"));
        Path link = Files.createSymbolicLink(dir.resolve("alias.so"), copy);
        assertThat(linker.listsFile(FileIdentities.of(copy))).isFalse();

        long handle = linker.open(link);
        try {
            assertThat(linker.listsFile(FileIdentities.of(copy))).as("opened through a link").isTrue();
            Path other = Files.copy(copy, dir.resolve("libother.so"));
            assertThat(linker.listsFile(FileIdentities.of(other))).as("same bytes, another inode").isFalse();
        } finally {
            linker.close(handle);
        }
        assertThat(linker.listsFile(FileIdentities.of(copy))).isFalse();
    }
}
