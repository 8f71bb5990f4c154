package dev.relib.inspectors.symbols;

import dev.relib.engine.process.Mapping;
import dev.relib.inspectors.demangle.RustDemangler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * Turns addresses into frames: the object that held the address when it was captured (from an
 * {@link AddressSpace}), the function from the object's symbol table, and the source line from
 * its DWARF line table. Never throws for an address it cannot resolve: the frame says what is
 * missing and why.
 */
public final class Symbolizer {

    private final SymbolCache cache;
    private final UnaryOperator<String> demangler;

    /** A symbolizer with its own cache that shows Rust names demangled, hashes hidden. */
    public Symbolizer() {
        this(new SymbolCache());
    }

    /** A symbolizer over a shared cache that shows Rust names demangled, hashes hidden. */
    public Symbolizer(SymbolCache cache) {
        this(cache, new RustDemangler()::demangleOrSelf);
    }

    /**
     * @param demangler turns a raw symbol name into the name shown (Rust legacy and v0 names);
     *                  names it does not recognise must come back unchanged
     */
    public Symbolizer(SymbolCache cache, UnaryOperator<String> demangler) {
        this.cache = cache;
        this.demangler = demangler;
    }

    public SymbolCache cache() {
        return cache;
    }

    public List<Frame> symbolize(long[] addresses, AddressSpace space) {
        List<Frame> frames = new ArrayList<>(addresses.length);
        for (long address : addresses) {
            frames.add(symbolize(address, space));
        }
        return frames;
    }

    /**
     * A backtrace's frames: each is a return address, the instruction after a call, so its function
     * and line are those of {@code address - 1} (the call itself), as gdb and addr2line -i read them.
     * The frames keep the addresses as given.
     */
    public List<Frame> symbolizeReturnAddresses(long[] returnAddresses, AddressSpace space) {
        List<Frame> frames = new ArrayList<>(returnAddresses.length);
        for (long address : returnAddresses) {
            frames.add(symbolizeReturnAddress(address, space));
        }
        return frames;
    }

    /** One frame of a backtrace: see {@link #symbolizeReturnAddresses}. */
    public Frame symbolizeReturnAddress(long returnAddress, AddressSpace space) {
        Frame call = symbolize(returnAddress - 1, space);
        return new Frame(returnAddress, call.object(), call.function(), call.function() == null ? 0 : call.offset() + 1,
                call.file(), call.line(), call.column(), call.debugInfo(), call.missing());
    }

    public Frame symbolize(long address, AddressSpace space) {
        Optional<Mapping> mapping = space.mappingAt(address);
        if (mapping.isEmpty()) {
            return Frame.unmapped(address);
        }
        Mapping found = mapping.get();
        if (!found.isFile()) {
            String name = found.path().isEmpty() ? "[anon]" : found.path();
            return new Frame(address, name, null, 0, null, 0, 0, false, "not a file mapping");
        }
        ObjectKey key = ObjectKey.of(found);
        try {
            return inObject(address, found, key, cache.get(key));
        } catch (RuntimeException e) {
            // A reader bug or an input it never anticipated must not take the caller's report down.
            return new Frame(address, key.path(), null, 0, null, 0, 0, false, "symbolization failed: " + e);
        }
    }

    private Frame inObject(long address, Mapping mapping, ObjectKey key, ObjectSymbols symbols) {
        long fileOffset = address - mapping.start() + mapping.offset();
        OptionalLong virtual = symbols.virtualAddress(fileOffset);
        if (virtual.isEmpty()) {
            String why = symbols.symbolProblem().orElse("file offset 0x" + Long.toHexString(fileOffset)
                    + " lies in no loadable segment");
            return new Frame(address, key.path(), null, 0, null, 0, 0, false, why);
        }
        long objectAddress = virtual.getAsLong();
        Optional<SymbolMatch> match = symbols.lookup(objectAddress);
        Optional<SourceLocation> location = symbols.sourceLocation(objectAddress);
        String function = match.map(m -> demangler.apply(m.symbol().name())).orElse(null);
        long offset = match.map(SymbolMatch::offset).orElse(0L);
        String missing = missing(symbols, match.isPresent(), location.isPresent());
        return location
                .map(l -> new Frame(address, key.path(), function, offset, l.file(), l.line(), l.column(), true, missing))
                .orElseGet(() -> new Frame(address, key.path(), function, offset, null, 0, 0, false, missing));
    }

    private static String missing(ObjectSymbols symbols, boolean hasFunction, boolean hasLine) {
        List<String> reasons = new ArrayList<>(2);
        if (!hasFunction) {
            reasons.add(symbols.symbolProblem().orElse("no function symbol covers the address (" + symbols.symbolSource() + ")"));
        }
        if (!hasLine) {
            reasons.add(symbols.lineInfoAbsence().orElse("no line table row covers the address"));
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }
}
