package dev.relib.inspectors.symbols;

import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.elf.SectionHeader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Function symbols sorted by address for binary search. A symbol with a size covers exactly
 * {@code [address, address + size)}; one without covers up to the next symbol or the end of its
 * section. Aliases at one address are ordered global, weak, local, then by fewer leading
 * underscores, so {@code malloc} is preferred over {@code __libc_malloc}, then as the table lists
 * them (the sort is stable): identical code folded by the linker is named as addr2line names it.
 */
final class FunctionIndex {

    private final FunctionSymbol[] symbols;
    private final long[] starts;
    private final long[] ends;
    /** The greatest end among symbols 0..i, so a backward scan knows when to stop. */
    private final long[] endSoFar;

    private FunctionIndex(List<FunctionSymbol> sorted, long[] ends) {
        this.symbols = sorted.toArray(FunctionSymbol[]::new);
        this.starts = new long[symbols.length];
        this.ends = ends;
        this.endSoFar = new long[symbols.length];
        long highest = Long.MIN_VALUE;
        for (int i = 0; i < symbols.length; i++) {
            starts[i] = symbols[i].address();
            highest = Math.max(highest, ends[i]);
            endSoFar[i] = highest;
        }
    }

    static FunctionIndex of(List<ElfSymbol> table, List<SectionHeader> sections) {
        List<ElfSymbol> functions = table.stream()
                .filter(s -> s.isFunction() && s.isDefined() && s.value() != 0 && !s.name().isEmpty())
                .sorted(Comparator.comparingLong(ElfSymbol::value)
                        .thenComparingInt(FunctionIndex::bindingRank)
                        .thenComparingInt(FunctionIndex::leadingUnderscores))
                .toList();
        List<FunctionSymbol> sorted = new ArrayList<>(functions.size());
        long[] ends = new long[functions.size()];
        for (int i = 0; i < functions.size(); i++) {
            ElfSymbol symbol = functions.get(i);
            sorted.add(new FunctionSymbol(symbol.name(), symbol.value(), symbol.size()));
            ends[i] = symbol.size() > 0 ? symbol.value() + symbol.size() : unsizedEnd(functions, i, sections);
        }
        return new FunctionIndex(sorted, ends);
    }

    private static long unsizedEnd(List<ElfSymbol> functions, int index, List<SectionHeader> sections) {
        long start = functions.get(index).value();
        for (int next = index + 1; next < functions.size(); next++) {
            if (functions.get(next).value() > start) {
                return functions.get(next).value();
            }
        }
        int section = functions.get(index).sectionIndex();
        if (section > 0 && section < sections.size()) {
            SectionHeader header = sections.get(section);
            return header.address() + header.size();
        }
        return start;
    }

    private static int bindingRank(ElfSymbol symbol) {
        return switch (symbol.binding()) {
            case ElfSymbol.STB_GLOBAL -> 0;
            case ElfSymbol.STB_WEAK -> 1;
            default -> 2;
        };
    }

    private static int leadingUnderscores(ElfSymbol symbol) {
        int count = 0;
        while (count < symbol.name().length() && symbol.name().charAt(count) == '_') {
            count++;
        }
        return count;
    }

    Optional<SymbolMatch> lookup(long address) {
        int low = 0;
        int high = starts.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= address) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        int found = -1;
        for (int i = high; i >= 0 && endSoFar[i] > address; i--) {
            if (found >= 0 && starts[i] != starts[found]) {
                break;
            }
            if (address < ends[i]) {
                found = i;
            }
        }
        return found < 0 ? Optional.empty() : Optional.of(new SymbolMatch(symbols[found], address - starts[found]));
    }

    List<FunctionSymbol> symbols() {
        return List.of(symbols);
    }

    int size() {
        return symbols.length;
    }
}
