package dev.relib.inspectors.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.testing.SampleModules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Addresses inside objects dlopened into this JVM, symbolized from a snapshot of its mappings. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SymbolizerTest {

    private final DynamicLinker linker = new DynamicLinker();
    private final Symbolizer symbolizer = new Symbolizer(new SymbolCache(), UnaryOperator.identity());
    private final LoadedObjects loaded = new LoadedObjects(linker);

    @TempDir
    Path temp;

    @AfterEach
    void closeObjects() {
        loaded.closeAll();
    }

    @Test
    void countSheepResolvesToItsRustSourceLine() throws Exception {
        Path sheep = SampleModules.rust("sheep");
        long handle = loaded.open(sheep);
        long address = linker.symbol(handle, "count_sheep");
        Path source = SourceLines.source("sheep/src/lib.rs");

        Frame frame = symbolizer.symbolize(address, AddressSpace.capture());

        assertThat(frame.object()).isEqualTo(sheep.toRealPath().toString());
        assertThat(frame.function()).isEqualTo("count_sheep");
        assertThat(frame.offset()).isZero();
        assertThat(frame.debugInfo()).isTrue();
        assertThat(frame.file()).endsWith("sheep/src/lib.rs");
        assertThat(frame.line()).isEqualTo(SourceLines.lineOf(source, "pub extern \"C\" fn count_sheep"));
        assertThat(frame.missing()).isNull();
        assertThat(frame.toString()).startsWith("0x" + Long.toHexString(address) + " count_sheep (libsheep.so) at ")
                .endsWith("sheep/src/lib.rs:" + frame.line());
    }

    @Test
    void anAddressInsideCountSheepGivesTheOffsetAndAddr2linesLine() throws Exception {
        Path sheep = SampleModules.rust("sheep");
        long handle = loaded.open(sheep);
        long address = linker.symbol(handle, "count_sheep") + 0x12;

        Frame frame = symbolizer.symbolize(address, AddressSpace.capture());

        assertThat(frame.function()).isEqualTo("count_sheep");
        assertThat(frame.offset()).isEqualTo(0x12);
        assertThat(frame.file() + ":" + frame.line())
                .isEqualTo(Addr2Line.locations(sheep, List.of(address - linker.loadBias(handle))).get(0));
        assertThat(frame.toString()).contains(" count_sheep+0x12 (libsheep.so) at ");
    }

    @Test
    void strLengthResolvesInDwarf5AndDwarf4Builds() throws Exception {
        Path source = SourceLines.source("c/cstr.c");
        int declared = SourceLines.lineOf(source, "size_t str_length(");
        for (String sample : List.of("cstr", "cstr_dwarf4")) {
            Path object = SampleModules.c(sample);
            long handle = loaded.open(object);
            long bias = linker.loadBias(handle);
            long start = linker.symbol(handle, "str_length");
            AddressSpace space = AddressSpace.capture();

            for (long address = start; address < start + 12; address += 3) {
                Frame frame = symbolizer.symbolize(address, space);

                assertThat(frame.function()).as(sample).isEqualTo("str_length");
                assertThat(frame.offset()).as(sample).isEqualTo(address - start);
                assertThat(Path.of(frame.file())).as(sample).hasSameTextualContentAs(source);
                assertThat(frame.line()).as(sample).isBetween(declared, declared + 2);
                assertThat(Path.of(frame.file()).getFileName() + ":" + frame.line()).as(sample).isEqualTo(
                        Path.of(Addr2Line.locations(object, List.of(address - bias)).get(0)).getFileName().toString());
            }
        }
    }

    @Test
    void withoutDebugInfoTheFunctionIsNamedAndTheLineIsAbsent() throws Exception {
        Path stripped = temp.resolve("libcstr-stripped.so");
        Tools.run("strip", "--strip-debug", "-o", stripped.toString(), SampleModules.c("cstr").toString());
        assertThat(ElfFile.open(stripped).section(".debug_line")).isEmpty();
        long handle = loaded.open(stripped);

        Frame frame = symbolizer.symbolize(linker.symbol(handle, "str_length") + 2, AddressSpace.capture());

        assertThat(frame.function()).isEqualTo("str_length");
        assertThat(frame.offset()).isEqualTo(2);
        assertThat(frame.debugInfo()).isFalse();
        assertThat(frame.file()).isNull();
        assertThat(frame.line()).isZero();
        assertThat(frame.missing()).contains("no debug info");
        assertThat(frame.toString()).endsWith("str_length+0x2 (libcstr-stripped.so) (no line info)");
    }

    @Test
    void libcMallocResolvesThroughItsDynamicSymbols() {
        long libc = loaded.open(Path.of("libc.so.6"));
        long malloc = linker.symbol(libc, "malloc");

        Frame start = symbolizer.symbolize(malloc, AddressSpace.capture());
        Frame inside = symbolizer.symbolize(malloc + 0x10, AddressSpace.capture());

        assertThat(start.object()).contains("libc.so.6");
        assertThat(start.function()).isEqualTo("malloc");
        assertThat(start.offset()).isZero();
        assertThat(inside.function()).isEqualTo("malloc");
        assertThat(inside.offset()).isEqualTo(0x10);
        ObjectSymbols libcSymbols = symbolizer.cache().get(
                ObjectKey.of(AddressSpace.capture().mappingAt(malloc).orElseThrow()));
        boolean hasSymtab = !ElfFile.open(Path.of(start.object())).symbols().isEmpty();
        assertThat(libcSymbols.symbolSource()).isEqualTo(hasSymtab ? ".symtab" : ".dynsym");
    }

    @Test
    void aRetainedModuleStillResolvesAfterUnloadAndDeletion() throws Exception {
        Path copy = temp.resolve("libcstr-shadow.so");
        Files.copy(SampleModules.c("cstr"), copy);
        long handle = linker.open(copy);
        long address = linker.symbol(handle, "str_length") + 3;
        AddressSpace capturedWhileLoaded = AddressSpace.capture();
        ObjectKey key = symbolizer.cache().retain(copy);
        Frame whileLoaded = symbolizer.symbolize(address, capturedWhileLoaded);

        assertThat(linker.close(handle)).isNull();
        Files.delete(copy);
        String realPath = key.path();
        assertThat(AddressSpace.capture().mappings()).noneMatch(m -> m.path().startsWith(realPath));

        Frame afterUnload = symbolizer.symbolize(address, capturedWhileLoaded);
        Frame withoutRetaining = new Symbolizer(new SymbolCache(), UnaryOperator.identity())
                .symbolize(address, capturedWhileLoaded);

        assertThat(symbolizer.cache().isRetained(key)).isTrue();
        assertThat(afterUnload).isEqualTo(whileLoaded);
        assertThat(afterUnload.function()).isEqualTo("str_length");
        assertThat(afterUnload.file()).endsWith("cstr.c");
        assertThat(withoutRetaining.object()).isEqualTo(realPath);
        assertThat(withoutRetaining.function()).isNull();
        assertThat(withoutRetaining.missing()).contains("deleted");
    }

    @Test
    void rustNamesAreDemangledWithTheirHashesHidden() throws Exception {
        Path sheep = SampleModules.rust("sheep");
        long handle = loaded.open(sheep);
        // rustc 1.95 mangles std with v0 names; c++filt shows their crate hashes as "core[c1f1...]".
        List<FunctionSymbol> candidates = ObjectSymbols.open(sheep).functionSymbols().stream()
                .filter(f -> f.name().startsWith("_R") && f.size() > 4).limit(40).toList();
        String[] command = new String[candidates.size() + 1];
        command[0] = "c++filt";
        for (int i = 0; i < candidates.size(); i++) {
            command[i + 1] = candidates.get(i).name();
        }
        List<String> demangled = Tools.output(command).lines().toList();
        int chosen = -1;
        for (int i = 0; i < demangled.size() && chosen < 0; i++) {
            // Skips const generics, whose value c++filt prints with its type and the hidden form without.
            String name = demangled.get(i);
            if (name.matches(".*\\[[0-9a-f]{16}\\].*") && !name.matches(".*[0-9](usize|u8|u32|u64|isize|i32|i64).*")) {
                chosen = i;
            }
        }
        assertThat(chosen).as("a v0 symbol with a crate hash in libsheep").isNotNegative();
        FunctionSymbol symbol = candidates.get(chosen);

        Frame frame = new Symbolizer().symbolize(linker.loadBias(handle) + symbol.address() + 1, AddressSpace.capture());

        assertThat(frame.function()).isEqualTo(demangled.get(chosen).replaceAll("\\[[0-9a-f]{16}\\]", ""));
        assertThat(frame.offset()).isEqualTo(1);
    }

    @Test
    void addressesOutsideAnyObjectSaySo() {
        AddressSpace space = AddressSpace.capture();
        long anonymous = space.mappings().stream().filter(m -> m.path().isEmpty()).findFirst().orElseThrow().start();

        Frame unmapped = symbolizer.symbolize(0x10, space);
        Frame anon = symbolizer.symbolize(anonymous, space);

        assertThat(unmapped.object()).isNull();
        assertThat(unmapped.function()).isNull();
        assertThat(unmapped.missing()).contains("no mapping");
        assertThat(unmapped.toString()).isEqualTo("0x10 ?? (unmapped)");
        assertThat(anon.object()).isEqualTo("[anon]");
        assertThat(anon.function()).isNull();
        assertThat(anon.debugInfo()).isFalse();
    }

    @Test
    void aBatchKeepsTheOrderOfItsAddresses() throws Exception {
        long sheep = loaded.open(SampleModules.rust("sheep"));
        long cstr = loaded.open(SampleModules.c("cstr"));
        long[] addresses = {linker.symbol(cstr, "greeting"), 0x10, linker.symbol(sheep, "count_sheep")};

        List<Frame> frames = symbolizer.symbolize(addresses, AddressSpace.capture());

        assertThat(frames).extracting(Frame::function).containsExactly("greeting", null, "count_sheep");
        assertThat(frames).extracting(Frame::address).containsExactly(addresses[0], addresses[1], addresses[2]);
    }
}
