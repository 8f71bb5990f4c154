package dev.relib.engine.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * The program header checks that glibc's {@code _dl_map_object_from_fd} and
 * {@code _dl_map_segments} leave out: they size the whole reservation from the first and last
 * {@code PT_LOAD} and map the others {@code MAP_FIXED} inside it, so unsorted or overlapping
 * segments land on other mappings; they read {@code PT_DYNAMIC}, {@code PT_PHDR}, {@code PT_TLS}
 * and {@code PT_GNU_PROPERTY} through the mapping and {@code mprotect} the {@code PT_GNU_RELRO}
 * range, wherever those point; and they keep the program header table and a command per segment on
 * the stack ({@code alloca}), however many there are.
 */
final class SegmentChecks {

    static final long PAGE = 4096;
    /** glibc copies the table to the stack; real objects have about a dozen. */
    static final int MAX_PROGRAM_HEADERS = 512;
    /** What relib accepts as one object's address span, .bss included. */
    static final long MAX_SPAN = 4L << 30;
    /** A thread-local block is allocated for every thread that touches it; real ones are bytes to kilobytes. */
    static final long MAX_TLS = 64L << 20;
    static final int PT_GNU_PROPERTY = 0x6474e553;
    static final int PT_PHDR = 6;
    private static final long SHF_ALLOC = 0x2;

    private final PositionalFileReader file;
    private final ElfLayout layout;

    private SegmentChecks(PositionalFileReader file, ElfLayout layout) {
        this.file = file;
        this.layout = layout;
    }

    /** Checks the segments and returns the image they describe. */
    static LoadImage check(PositionalFileReader file, ElfLayout layout) {
        return new SegmentChecks(file, layout).check();
    }

    private LoadImage check() {
        List<ProgramHeader> headers = layout.programHeaders();
        if (headers.isEmpty()) {
            throw file.unsafe("phdr.none", "it has no program headers, so there is nothing to map");
        }
        if (headers.size() > MAX_PROGRAM_HEADERS) {
            throw file.unsafe("phdr.too_many", headers.size() + " program headers (more than "
                    + MAX_PROGRAM_HEADERS + "); the dynamic loader copies them onto its stack");
        }
        List<ProgramHeader> loads = new ArrayList<>();
        for (ProgramHeader header : headers) {
            if (header.isLoad()) {
                checkLoad(header, loads.isEmpty() ? null : loads.get(loads.size() - 1));
                loads.add(header);
            }
        }
        if (loads.isEmpty()) {
            throw file.unsafe("load.none", "it has no PT_LOAD segment, so there is nothing to map");
        }
        LoadImage image = new LoadImage(file, loads);
        long span = image.end() - (image.start() & -PAGE);
        if (span > MAX_SPAN) {
            throw file.unsafe("load.too_large", "its segments span " + span + " bytes of address space (more than "
                    + MAX_SPAN + ")");
        }
        for (ProgramHeader header : headers) {
            checkInsideImage(header, image);
        }
        checkSectionsAgree(loads);
        return image;
    }

    /**
     * A segment's offset says which file bytes appear at its addresses; the loader believes it. An
     * allocated section says the same of itself, so the two disagreeing means the loader would map
     * other bytes (debug info as code) there.
     */
    private void checkSectionsAgree(List<ProgramHeader> loads) {
        for (SectionHeader section : layout.sections()) {
            if ((section.flags() & SHF_ALLOC) == 0 || !section.hasFileBytes() || section.size() <= 0) {
                continue;
            }
            for (ProgramHeader load : loads) {
                long delta = section.address() - load.virtualAddress();
                if (delta >= 0 && section.address() < LoadImage.ADDRESS_LIMIT && delta + section.size() <= load.fileSize()
                        && section.offset() - load.offset() != delta) {
                    throw file.unsafe("load.offset_mismatch", "PT_LOAD segment " + load.index() + " maps file offset "
                            + hex(load.offset() + delta) + " at " + hex(section.address()) + ", but " + section.label()
                            + " lies at offset " + hex(section.offset()) + "; the loader would map the wrong bytes there");
                }
            }
        }
    }

    private void checkLoad(ProgramHeader load, ProgramHeader previous) {
        String name = "PT_LOAD segment " + load.index();
        long vaddr = load.virtualAddress();
        long memsz = load.memorySize();
        if (vaddr < 0 || memsz < 0 || vaddr >= LoadImage.ADDRESS_LIMIT || memsz >= LoadImage.ADDRESS_LIMIT
                || vaddr + memsz >= LoadImage.ADDRESS_LIMIT) {
            throw file.unsafe("load.too_large", name + " (address " + hex(vaddr) + ", " + Long.toUnsignedString(memsz)
                    + " bytes) does not fit in a process's address space");
        }
        if (Long.compareUnsigned(load.fileSize(), memsz) > 0) {
            throw file.unsafe("load.file_size", name + " has more file bytes (" + Long.toUnsignedString(load.fileSize())
                    + ") than memory (" + memsz + ")");
        }
        long align = load.align();
        if (align != 0 && align != 1 && ((align & (align - 1)) != 0 || align < PAGE)) {
            throw file.unsafe("load.alignment", name + " has alignment " + Long.toUnsignedString(align)
                    + ", not a power of two of at least a page");
        }
        if (((vaddr - load.offset()) & (PAGE - 1)) != 0 || (align > 1 && ((vaddr - load.offset()) & (align - 1)) != 0)) {
            throw file.unsafe("load.alignment", name + " maps offset " + hex(load.offset()) + " at " + hex(vaddr)
                    + ", which differ by more than a multiple of its alignment");
        }
        if (previous != null && vaddr < previous.virtualAddress() + previous.memorySize()) {
            throw file.unsafe("load.order", name + " (at " + hex(vaddr) + ") starts before PT_LOAD segment "
                    + previous.index() + " ends (" + hex(previous.virtualAddress() + previous.memorySize())
                    + "); the loader maps them in file order into one reservation, so it would map over other memory");
        }
    }

    /** The segments the loader reads or protects through the mapping must be inside it. */
    private void checkInsideImage(ProgramHeader header, LoadImage image) {
        String detail;
        String what;
        boolean fileBytes = true;
        switch (header.type()) {
            case ProgramHeader.PT_DYNAMIC -> {
                detail = "dynamic.outside_image";
                what = "the PT_DYNAMIC segment";
                if (header.fileSize() == 0) {
                    throw file.unsafe("dynamic.missing", "its PT_DYNAMIC segment is empty");
                }
            }
            case PT_PHDR -> {
                detail = "phdr.pt_phdr";
                what = "the PT_PHDR segment";
                long table = (long) layout.programHeaders().size() * ProgramHeader.ENTRY_SIZE;
                if (header.offset() != layout.header().programHeaderOffset() || header.memorySize() < table) {
                    throw file.unsafe(detail, "PT_PHDR (offset " + hex(header.offset()) + ", " + header.memorySize()
                            + " bytes) does not describe the program header table (offset "
                            + hex(layout.header().programHeaderOffset()) + ", " + table + " bytes)");
                }
            }
            case ProgramHeader.PT_TLS -> {
                detail = "tls.bad_segment";
                what = "the PT_TLS segment";
                checkTls(header);
            }
            case ProgramHeader.PT_GNU_RELRO -> {
                checkRelro(header, image);
                return;
            }
            case ProgramHeader.PT_GNU_EH_FRAME -> {
                detail = "segment.outside_image";
                what = "the PT_GNU_EH_FRAME segment";
            }
            case PT_GNU_PROPERTY -> {
                detail = "segment.outside_image";
                what = "the PT_GNU_PROPERTY segment";
            }
            default -> {
                return;
            }
        }
        long length = fileBytes ? header.fileSize() : header.memorySize();
        if (!image.fileBacked(header.virtualAddress(), length)) {
            throw file.unsafe(detail, what + " (address " + hex(header.virtualAddress()) + ", "
                    + Long.toUnsignedString(length) + " bytes) lies outside the file bytes of every PT_LOAD segment;"
                    + " the loader reads it through the mapping");
        }
    }

    private void checkTls(ProgramHeader tls) {
        if (Long.compareUnsigned(tls.fileSize(), tls.memorySize()) > 0) {
            throw file.unsafe("tls.bad_segment", "PT_TLS has a larger initial image (" + Long.toUnsignedString(tls.fileSize())
                    + " bytes) than its block (" + Long.toUnsignedString(tls.memorySize()) + ")");
        }
        if (Long.compareUnsigned(tls.memorySize(), MAX_TLS) > 0) {
            throw file.unsafe("tls.bad_segment", "PT_TLS asks " + Long.toUnsignedString(tls.memorySize())
                    + " bytes of thread-local storage per thread (more than " + MAX_TLS + ")");
        }
        long align = tls.align();
        if (Long.compareUnsigned(align, PAGE) > 0 || (align & (align - 1)) != 0) {
            throw file.unsafe("tls.bad_segment", "PT_TLS has alignment " + Long.toUnsignedString(align)
                    + ", not a power of two up to a page");
        }
    }

    /** glibc makes the range read-only after relocating, whatever it covers. */
    private void checkRelro(ProgramHeader relro, LoadImage image) {
        ProgramHeader segment = image.segmentOf(relro.virtualAddress(), relro.memorySize());
        if (segment == null || (segment.flags() & ProgramHeader.PF_W) == 0) {
            throw file.unsafe("relro.bad_range", "PT_GNU_RELRO (address " + hex(relro.virtualAddress()) + ", "
                    + Long.toUnsignedString(relro.memorySize()) + " bytes) is not inside one writable PT_LOAD segment;"
                    + " the loader would make other memory read-only");
        }
        long end = relro.virtualAddress() + relro.memorySize();
        for (SectionHeader section : layout.sections()) {
            boolean writtenLater = section.name().equals(".data") || section.name().equals(".bss");
            if (writtenLater && section.size() > 0 && section.address() < end
                    && section.address() + section.size() > relro.virtualAddress()) {
                throw file.unsafe("relro.bad_range", "PT_GNU_RELRO (up to " + hex(end) + ") covers " + section.label()
                        + ", which the module writes after it is made read-only");
            }
        }
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
