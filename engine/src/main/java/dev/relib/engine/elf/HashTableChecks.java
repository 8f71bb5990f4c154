package dev.relib.engine.elf;

/**
 * The two hash tables, as glibc's {@code _dl_setup_hash} and {@code do_lookup_x} use them: a
 * bucket count of zero is a division by zero, a {@code DT_GNU_HASH} bloom size that is not a power
 * of two fails an assertion, and a chain is followed until its end marker (GNU: a hash with the low
 * bit set; SysV: index 0) with no bound. Each returns the number of symbols the table covers.
 */
final class HashTableChecks {

    private static final int MAX_BUCKETS = 1 << 24;

    private HashTableChecks() {
    }

    static int gnuHash(PositionalFileReader file, LoadImage image, long address) {
        byte[] header = table(file, image, address, 16, "gnu_hash.bad_table", "the DT_GNU_HASH header");
        long buckets = LittleEndian.u32(header, 0);
        long symbolOffset = LittleEndian.u32(header, 4);
        long bloomWords = LittleEndian.u32(header, 8);
        long bloomShift = LittleEndian.u32(header, 12);
        if (buckets == 0 || buckets > MAX_BUCKETS) {
            throw file.unsafe("gnu_hash.bad_table", "DT_GNU_HASH has " + buckets + " buckets; the loader takes"
                    + " each hash modulo that count");
        }
        if (symbolOffset > SymbolLookupChecks.MAX_SYMBOLS) {
            throw file.unsafe("gnu_hash.bad_table", "DT_GNU_HASH starts hashing at symbol " + symbolOffset);
        }
        if (bloomWords == 0 || (bloomWords & (bloomWords - 1)) != 0 || bloomWords > MAX_BUCKETS || bloomShift >= 64) {
            throw file.unsafe("gnu_hash.bad_table", "DT_GNU_HASH has a bloom filter of " + bloomWords + " words, shift "
                    + bloomShift + "; the loader requires a power of two and masks indices with it");
        }
        long bucketsAt = address + 16 + bloomWords * 8;
        byte[] bucketBytes = table(file, image, bucketsAt, buckets * 4, "gnu_hash.bad_table", "the DT_GNU_HASH buckets");
        long chainsAt = bucketsAt + buckets * 4;
        for (int i = 0; i < buckets; i++) {
            long first = LittleEndian.u32(bucketBytes, 4 * i);
            if (first != 0 && (first < symbolOffset || first > SymbolLookupChecks.MAX_SYMBOLS)) {
                throw file.unsafe("gnu_hash.bad_index", "DT_GNU_HASH bucket " + i + " starts at symbol " + first
                        + ", below its first hashed symbol " + symbolOffset + " or past any symbol table");
            }
        }
        if (!hasChains(bucketBytes)) {
            return (int) symbolOffset;
        }
        byte[] chains = chainArea(file, image, chainsAt);
        long end = symbolOffset;
        for (int i = 0; i < buckets; i++) {
            long first = LittleEndian.u32(bucketBytes, 4 * i);
            if (first != 0) {
                end = Math.max(end, chainEnd(file, chains, symbolOffset, first));
            }
        }
        return (int) end;
    }

    private static boolean hasChains(byte[] buckets) {
        for (int i = 0; i < buckets.length; i += 4) {
            if (LittleEndian.u32(buckets, i) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The chain words from {@code chainsAt} to the end of their segment, read once. */
    private static byte[] chainArea(PositionalFileReader file, LoadImage image, long chainsAt) {
        ProgramHeader segment = image.segmentOf(chainsAt, 4);
        if (segment == null) {
            throw file.unsafe("gnu_hash.bad_table", "the DT_GNU_HASH chains (" + SegmentChecks.hex(chainsAt)
                    + ") lie outside the loadable segments");
        }
        long available = segment.virtualAddress() + segment.memorySize() - chainsAt;
        long length = Math.min(available, 4L * SymbolLookupChecks.MAX_SYMBOLS) & ~3L;
        return image.read(chainsAt, length, "the DT_GNU_HASH chains");
    }

    /** One past the last symbol of the chain that starts at {@code first}. */
    private static long chainEnd(PositionalFileReader file, byte[] chains, long symbolOffset, long first) {
        for (long index = first; ; index++) {
            long at = (index - symbolOffset) * 4;
            if (at + 4 > chains.length) {
                throw file.unsafe("gnu_hash.chain_loop", "the DT_GNU_HASH chain from symbol " + first
                        + " has no end marker inside its segment; the loader would read past it");
            }
            if ((LittleEndian.u32(chains, (int) at) & 1) != 0) {
                return index + 1;
            }
        }
    }

    static int sysvHash(PositionalFileReader file, LoadImage image, long address) {
        byte[] header = table(file, image, address, 8, "hash.bad_table", "the DT_HASH header");
        long buckets = LittleEndian.u32(header, 0);
        long chains = LittleEndian.u32(header, 4);
        if (buckets == 0 || buckets > MAX_BUCKETS || chains > SymbolLookupChecks.MAX_SYMBOLS) {
            throw file.unsafe("hash.bad_table", "DT_HASH has " + buckets + " buckets and " + chains
                    + " chain entries; the loader takes each hash modulo the bucket count");
        }
        byte[] words = table(file, image, address + 8, (buckets + chains) * 4, "hash.bad_table", "the DT_HASH table");
        int[] next = new int[(int) chains];
        for (int i = 0; i < chains; i++) {
            next[i] = (int) LittleEndian.u32(words, (int) (buckets + i) * 4);
        }
        // Each symbol sits on one chain: a walk longer than the table has met a loop.
        boolean[] seen = new boolean[(int) chains];
        for (int b = 0; b < buckets; b++) {
            long index = LittleEndian.u32(words, 4 * b);
            while (index != 0) {
                if (index >= chains) {
                    throw file.unsafe("hash.bad_index", "DT_HASH links to symbol " + index + ", past its "
                            + chains + " chain entries");
                }
                if (seen[(int) index]) {
                    throw file.unsafe("hash.chain_loop", "DT_HASH bucket " + b + " loops back to symbol " + index
                            + "; the loader would search it forever");
                }
                seen[(int) index] = true;
                index = Integer.toUnsignedLong(next[(int) index]);
            }
        }
        return (int) chains;
    }

    private static byte[] table(PositionalFileReader file, LoadImage image, long address, long length, String detail,
                                String what) {
        if (!image.contains(address, length)) {
            throw file.unsafe(detail, what + " (" + SegmentChecks.hex(address) + ", " + length
                    + " bytes) lies outside the loadable segments");
        }
        return image.read(address, length, what);
    }
}
