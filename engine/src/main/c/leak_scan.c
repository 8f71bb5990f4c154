/* Leak kinds in valgrind memcheck's words, by the same pointer scan memcheck does at exit, with the
 * module's own memory as the roots: its writable PT_LOAD segments (.data, .bss, the GOT) and its
 * TLS block of the calling thread and of each of its threads still running, and the runtime
 * libraries' own data (libstdc++ may keep a block it allocated for the module). A block pointed at by
 * its start from a root, or from a block so reached, is "still reachable"; one reached only through
 * interior pointers is "possibly lost"; of the rest, each block no other unreached block points at
 * is "definitely lost" and what it points at, directly or through others, "indirectly lost"; in a
 * cycle, the block allocated first is the definitely lost one.
 * Memory is read only where it is readable (a block freed behind the table's back may be unmapped):
 * for a few blocks, through process_vm_readv on this process into a scratch buffer, which fails
 * instead of faulting; for many (or where that call is refused), after checking each range against
 * /proc/self/maps, read once per scan (130-370 us with a JVM's thousand mappings, more than the few
 * copies cost). Scratch memory is mmap-backed, so the scan never calls the allocator it reports on.
 * It reads live bytes only while a pointer could still change a kind: once every block is reachable,
 * or while a clique's leader is the only unreached block, the rest is left unread. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include "agent_internal.h"

enum state { UNREACHED = 0, POSSIBLE, REACHABLE, INDIRECT };

struct range {
    uintptr_t start, end;
};

/* Above this many blocks the scan checks ranges against /proc/self/maps instead of copying them. */
#define COPY_SCAN_MAX_BLOCKS 256
#define CHUNK (64 * 1024)

struct scan {
    int use_maps;      /* check ranges against readable[] and read in place; else copy through chunk */
    uintptr_t *chunk;  /* CHUNK bytes */
    struct range *readable;
    uint64_t readable_count, readable_cap;
    uintptr_t *starts; /* block starts, ascending */
    uint64_t *sizes;
    uint32_t *order;   /* order[i]: the caller's index of the i-th block by address */
    uint32_t *by_age;  /* address ranks, oldest allocation first: the order cliques are led in */
    uint8_t *state;    /* by address rank */
    uint32_t *stack;   /* blocks whose contents are still to scan, by address rank */
    uint64_t stack_len, count;
    uintptr_t lowest, highest; /* the first block's start, the last block's end: most words fall outside */
    /* Blocks whose kind a pointer could still change: not yet reachable (the mark from the roots),
     * unreached (the cliques). When none is left, no word needs reading: a reload that leaked one
     * big block spent most of its time reading that block's megabyte to find no other block. */
    uint64_t not_reachable, unreached;
};

/* Whether a pointer read now could change any block's kind (leader as for mark below). The leader
 * of a clique stays unreached, so it needs another unreached block. */
static int changeable(const struct scan *s, int64_t leader) {
    return leader < 0 ? s->not_reachable > 0 : s->unreached > 1;
}

static void *scratch(size_t bytes) {
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void release(void *p, size_t bytes) {
    if (p) {
        munmap(p, bytes ? bytes : 1);
    }
}

static int add_readable(struct scan *s, uintptr_t start, uintptr_t end) {
    if (s->readable_count && s->readable[s->readable_count - 1].end == start) {
        s->readable[s->readable_count - 1].end = end; /* adjacent readable mappings: one range */
        return 0;
    }
    if (s->readable_count == s->readable_cap) {
        uint64_t cap = s->readable_cap ? s->readable_cap * 2 : 1024;
        struct range *grown = scratch(cap * sizeof(struct range));
        if (!grown) {
            return -1;
        }
        if (s->readable) {
            memcpy(grown, s->readable, s->readable_count * sizeof(struct range));
            release(s->readable, s->readable_cap * sizeof(struct range));
        }
        s->readable = grown;
        s->readable_cap = cap;
    }
    s->readable[s->readable_count++] = (struct range){start, end};
    return 0;
}

static uintptr_t parse_hex(const char **p) {
    uintptr_t v = 0;
    for (;;) {
        char c = **p;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) {
            return v;
        }
        v = v * 16 + (uintptr_t)d;
        (*p)++;
    }
}

/* One line of /proc/self/maps: "start-end perms offset dev inode path". [vvar] is left out: some of
 * its pages fault when read. */
static int parse_maps_line(struct scan *s, const char *line, const char *end) {
    const char *p = line;
    uintptr_t start = parse_hex(&p);
    if (*p++ != '-') {
        return 0;
    }
    uintptr_t stop = parse_hex(&p);
    if (*p++ != ' ' || p >= end || *p != 'r') {
        return 0;
    }
    size_t len = (size_t)(end - line);
    if (len >= 6 && memcmp(end - 6, "[vvar]", 6) == 0) {
        return 0;
    }
    return add_readable(s, start, stop);
}

static int read_maps(struct scan *s) {
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    char buf[8192];
    size_t have = 0;
    int result = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - have);
        if (n <= 0) {
            break;
        }
        have += (size_t)n;
        size_t used = 0;
        for (size_t i = 0; i < have; i++) {
            if (buf[i] == '\n') {
                if (parse_maps_line(s, buf + used, buf + i) != 0) {
                    result = -1;
                }
                used = i + 1;
            }
        }
        memmove(buf, buf + used, have - used);
        have -= used;
        if (have == sizeof buf) {
            have = 0; /* a line longer than the buffer (a very long path): not a range we need */
        }
    }
    close(fd);
    return result;
}

/* Whether [start, start + len) lies in one readable range. */
static int readable(const struct scan *s, uintptr_t start, uint64_t len) {
    uint64_t lo = 0, hi = s->readable_count;
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (s->readable[mid].end <= start) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return start + len >= start && lo < s->readable_count && s->readable[lo].start <= start
           && start + len <= s->readable[lo].end;
}

/* The block an element of a sorted index array stands for: via[e] when given, else e itself. */
static const relib_agent_block_t *block_of(const relib_agent_block_t *blocks, const uint32_t *via, uint32_t e) {
    return &blocks[via ? via[e] : e];
}

static uint64_t key_of(const relib_agent_block_t *b, int by_sequence) {
    return by_sequence ? b->sequence : b->address;
}

static void sift(uint32_t *idx, uint64_t root, uint64_t n, const relib_agent_block_t *blocks, const uint32_t *via,
                 int by_sequence) {
    for (;;) {
        uint64_t child = 2 * root + 1;
        if (child >= n) {
            return;
        }
        if (child + 1 < n && key_of(block_of(blocks, via, idx[child + 1]), by_sequence)
                > key_of(block_of(blocks, via, idx[child]), by_sequence)) {
            child++;
        }
        if (key_of(block_of(blocks, via, idx[root]), by_sequence) >= key_of(block_of(blocks, via, idx[child]), by_sequence)) {
            return;
        }
        uint32_t t = idx[root];
        idx[root] = idx[child];
        idx[child] = t;
        root = child;
    }
}

/* Heap sort of idx[] = 0..n-1 by the blocks' addresses or allocation sequence: qsort may allocate. */
static void heap_sort(uint32_t *idx, uint64_t n, const relib_agent_block_t *blocks, const uint32_t *via, int by_sequence) {
    for (uint64_t i = 0; i < n; i++) {
        idx[i] = (uint32_t)i;
    }
    for (uint64_t i = n / 2; i-- > 0;) {
        sift(idx, i, n, blocks, via, by_sequence);
    }
    for (uint64_t end = n; end-- > 1;) {
        uint32_t t = idx[0];
        idx[0] = idx[end];
        idx[end] = t;
        sift(idx, 0, end, blocks, via, by_sequence);
    }
}

static void sort_blocks(struct scan *s, const relib_agent_block_t *blocks) {
    uint64_t n = s->count;
    heap_sort(s->order, n, blocks, NULL, 0);
    for (uint64_t i = 0; i < n; i++) {
        s->starts[i] = (uintptr_t)blocks[s->order[i]].address;
        s->sizes[i] = blocks[s->order[i]].size;
        uintptr_t end = s->starts[i] + (s->sizes[i] ? s->sizes[i] - 1 : 0);
        s->highest = end > s->highest ? end : s->highest;
    }
    s->lowest = n ? s->starts[0] : 1;
}

/* The rank of the block holding address a (a zero-sized block holds only its start), or -1; *start
 * tells whether a is that block's first byte. */
static int64_t block_at(const struct scan *s, uintptr_t a, int *start) {
    uint64_t lo = 0, hi = s->count;
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (s->starts[mid] <= a) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return -1;
    }
    uint64_t i = lo - 1;
    uintptr_t off = a - s->starts[i];
    if (off == 0 || off < s->sizes[i]) {
        *start = off == 0;
        return (int64_t)i;
    }
    return -1;
}

/* leader < 0: the mark from the roots (a start pointer makes a block reachable, an interior one
 * possibly lost, unless it is reachable already). leader >= 0: the marking of one unreached block's
 * clique, where any pointer to another unreached block makes that one indirectly lost. */
static void mark(struct scan *s, uintptr_t a, int64_t leader) {
    if (a < s->lowest || a > s->highest) {
        return;
    }
    int start = 0;
    int64_t i = block_at(s, a, &start);
    if (i < 0) {
        return;
    }
    uint8_t *st = &s->state[i];
    if (leader < 0) {
        if (*st == REACHABLE || (!start && *st == POSSIBLE)) {
            return;
        }
        *st = start ? REACHABLE : POSSIBLE;
        s->not_reachable -= *st == REACHABLE;
    } else {
        if (i == leader || *st != UNREACHED) {
            return;
        }
        *st = INDIRECT;
        s->unreached--;
    }
    s->stack[s->stack_len++] = (uint32_t)i; /* each block is pushed at most three times: room is 3 * count */
}

/* Marks what the words [w, stop) point at, while a pointer could still change a kind. Most words of
 * a segment point at no block: they cost one compare each against the blocks' span, in a loop of
 * their own (they were most of a reload's pointer scan). */
static void mark_words(struct scan *s, const uintptr_t *w, const uintptr_t *stop, int64_t leader) {
    uintptr_t lowest = s->lowest, span = s->highest - s->lowest;
    while (changeable(s, leader)) {
        while (w < stop && *w - lowest > span) {
            w++;
        }
        if (w == stop) {
            return;
        }
        mark(s, *w++, leader);
    }
}

/* mark_words over the aligned words of [start, end), read where they are: a range known readable, or
 * a loaded object's writable segment (mapped to its end), whose words need no copy. */
static void mark_in_place(struct scan *s, uintptr_t start, uintptr_t end, int64_t leader) {
    uintptr_t a = (start + 7) & ~(uintptr_t)7;
    if (a + 8 <= end) {
        mark_words(s, (const uintptr_t *)a, (const uintptr_t *)a + (end - a) / 8, leader);
    }
}

/* Copies up to len bytes at a into s->chunk; returns how many were readable (0 on a fault). */
static size_t copy_in(struct scan *s, uintptr_t a, size_t len) {
    struct iovec local = {s->chunk, len};
    struct iovec remote = {(void *)a, len};
    ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    return n < 0 ? 0 : (size_t)n;
}

static void scan_range(struct scan *s, uintptr_t start, uint64_t len, int64_t leader) {
    uintptr_t a = (start + 7) & ~(uintptr_t)7;
    uintptr_t end = start + len;
    if (len == 0 || end < start) {
        return;
    }
    if (s->use_maps) {
        if (!readable(s, start, len)) {
            return;
        }
        mark_in_place(s, start, end, leader);
        return;
    }
    while (a + 8 <= end && changeable(s, leader)) {
        size_t want = end - a > CHUNK ? CHUNK : (size_t)(end - a) & ~(size_t)7;
        size_t got = copy_in(s, a, want) / 8;
        mark_words(s, s->chunk, s->chunk + got, leader);
        if (got * 8 < want) {
            return; /* the rest is not readable */
        }
        a += want;
    }
}

/* One word at a, if readable. */
static int read_word(struct scan *s, uintptr_t a, uintptr_t *out) {
    if (s->use_maps) {
        if (!readable(s, a, 8)) {
            return 0;
        }
        *out = *(const uintptr_t *)a;
        return 1;
    }
    if (copy_in(s, a, 8) != 8) {
        return 0;
    }
    *out = s->chunk[0];
    return 1;
}

static void drain(struct scan *s, int64_t leader) {
    while (s->stack_len) {
        if (!changeable(s, leader)) {
            s->stack_len = 0;
            return;
        }
        uint32_t i = s->stack[--s->stack_len];
        scan_range(s, s->starts[i], s->sizes[i], leader);
    }
}

struct module_roots {
    struct scan *scan;
    uintptr_t base;
    const char *name;
    uint64_t tls_size;
    int found;
};

static int scan_segments(struct dl_phdr_info *info, size_t size, void *ctx) {
    (void)size;
    struct module_roots *m = ctx;
    if (info->dlpi_addr != m->base || !info->dlpi_name || strcmp(info->dlpi_name, m->name) != 0) {
        return 0;
    }
    m->found = 1;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W)) {
            uintptr_t start = info->dlpi_addr + ph->p_vaddr;
            mark_in_place(m->scan, start, start + ph->p_memsz, -1);
        } else if (ph->p_type == PT_TLS) {
            m->tls_size = ph->p_memsz;
        }
    }
    return 1;
}

/* Another thread's block of the module's TLS, through glibc's thread descriptor on x86-64: pthread_t
 * is the TCB, whose second word is the DTV; dtv[-1] holds its length and dtv[modid] the block (16
 * bytes an entry; (void *)-1 while the thread has not allocated it). Read only where readable. */
static uintptr_t tls_block_of(struct scan *s, uint64_t pthread, size_t modid) {
    uintptr_t dtv = 0, length = 0, block = 0;
    if (!read_word(s, (uintptr_t)pthread + 8, &dtv) || !dtv || !read_word(s, dtv - 16, &length) || modid > length
            || !read_word(s, dtv + 16 * modid, &block)) {
        return 0;
    }
    return block == (uintptr_t)-1 ? 0 : block;
}

static void scan_thread_tls(struct scan *s, uint32_t module_id, size_t modid, uint64_t tls_size) {
    int64_t n = relib_agent_threads(module_id, NULL, 0);
    if (n <= 0) {
        return;
    }
    size_t bytes = (size_t)n * sizeof(relib_agent_thread_t);
    relib_agent_thread_t *threads = scratch(bytes);
    if (!threads) {
        return;
    }
    int64_t got = relib_agent_threads(module_id, threads, (uint64_t)n);
    for (int64_t i = 0; i < got && i < n; i++) {
        if (threads[i].state == RELIB_AGENT_THREAD_RUNNING && threads[i].pthread) {
            uintptr_t block = tls_block_of(s, threads[i].pthread, modid);
            if (block) {
                scan_range(s, block, tls_size, -1);
            }
        }
    }
    release(threads, bytes);
}

/* The writable data of the runtime libraries (libstdc++, libgcc_s) past their RELRO part (read-only
 * after relocation, so no heap pointer lives there), as roots: a block they point at from their own
 * statics (the buffers std::ios_base::sync_with_stdio(false) gives the standard streams, a locale
 * installed with std::locale::global) is still reachable, as valgrind says, and theirs to keep. */
static int scan_runtime_segments(struct dl_phdr_info *info, size_t size, void *ctx) {
    (void)size;
    struct scan *s = ctx;
    if (!info->dlpi_name || !behalf_is_runtime(info->dlpi_name)) {
        return 0;
    }
    uintptr_t relro_start = 0, relro_end = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_GNU_RELRO) {
            relro_start = info->dlpi_addr + ph->p_vaddr;
            relro_end = relro_start + ph->p_memsz;
        }
    }
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W)) {
            continue;
        }
        uintptr_t start = info->dlpi_addr + ph->p_vaddr, end = start + ph->p_memsz;
        if (relro_start <= start && relro_end > start && relro_end <= end) {
            start = relro_end;
        }
        mark_in_place(s, start, end, -1);
    }
    return 0;
}

/* The bytes of one scratch mapping holding a scan's arrays for count blocks and its copy chunk. */
static size_t scan_bytes(uint64_t count) {
    size_t words = count * (sizeof(uintptr_t) + sizeof(uint64_t));
    size_t small = count * (sizeof(uint32_t) * 5 + 1); /* order, by_age, stack (3 per block), state */
    return CHUNK + words + ((small + 7) & ~(size_t)7);
}

/* The scan mapping kept from one scan to the next, up to KEPT_SCAN_BYTES: a reload's scan of a
 * few blocks spent most of its time mapping and unmapping it (each munmap in a process of many
 * threads costs a TLB shootdown). in_use keeps two scans at once from sharing it. */
#define KEPT_SCAN_BYTES (1024 * 1024)
static uint8_t *kept_scan; /* KEPT_SCAN_BYTES once mapped */
static int kept_scan_in_use;

static uint8_t *scan_memory(size_t bytes) {
    if (bytes <= KEPT_SCAN_BYTES && !__atomic_exchange_n(&kept_scan_in_use, 1, __ATOMIC_ACQUIRE)) {
        if (!kept_scan) {
            kept_scan = scratch(KEPT_SCAN_BYTES);
        }
        if (kept_scan) {
            return kept_scan;
        }
        __atomic_store_n(&kept_scan_in_use, 0, __ATOMIC_RELEASE);
    }
    return scratch(bytes);
}

static void scan_memory_release(uint8_t *base, size_t bytes) {
    if (base && base == kept_scan) {
        __atomic_store_n(&kept_scan_in_use, 0, __ATOMIC_RELEASE);
    } else {
        release(base, bytes);
    }
}

/* Scratch arrays for count blocks sorted by address, in one mapping, and how memory is read; 0 or
 * -RELIB_AGENT_E_*. */
static int scan_open(struct scan *s, const relib_agent_block_t *blocks, uint64_t count) {
    s->count = count;
    s->not_reachable = count;
    uint8_t *base = scan_memory(scan_bytes(count));
    if (!base) {
        return -RELIB_AGENT_E_INVALID;
    }
    s->chunk = (uintptr_t *)base;
    s->starts = (uintptr_t *)(base + CHUNK);
    s->sizes = (uint64_t *)(s->starts + count);
    s->order = (uint32_t *)(s->sizes + count);
    s->by_age = s->order + count;
    s->stack = s->by_age + count;
    s->state = (uint8_t *)(s->stack + 3 * count);
    memset(s->state, UNREACHED, count); /* a kept mapping holds the last scan's */
    uintptr_t probe = (uintptr_t)&s->count;
    s->use_maps = count > COPY_SCAN_MAX_BLOCKS || copy_in(s, probe & ~(uintptr_t)7, 8) != 8;
    if (s->use_maps && read_maps(s) != 0) {
        return -RELIB_AGENT_E_INVALID;
    }
    sort_blocks(s, blocks);
    return 0;
}

static void scan_close(struct scan *s) {
    scan_memory_release((uint8_t *)s->chunk, scan_bytes(s->count));
    release(s->readable, s->readable_cap * sizeof(struct range));
}

int relib_agent_leak_scan(void *dl_handle, uint32_t module_id, const relib_agent_block_t *blocks, uint64_t count,
                          uint8_t *kinds) {
    if (!dl_handle || (count && (!blocks || !kinds)) || count > UINT32_MAX / 4) {
        return -RELIB_AGENT_E_INVALID;
    }
    relib_agent_stats_t known;
    if (relib_agent_stats(module_id, &known) < 0) {
        return -RELIB_AGENT_E_UNKNOWN;
    }
    if (count == 0) {
        return 0; /* nothing to classify: no need to read anything */
    }
    struct link_map *lm = NULL;
    if (dlinfo(dl_handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
        return -RELIB_AGENT_E_DLINFO;
    }
    struct scan s = {0};
    int result = scan_open(&s, blocks, count);
    if (result == 0) {
        struct module_roots roots = {&s, lm->l_addr, lm->l_name, 0, 0};
        dl_iterate_phdr(scan_segments, &roots);
        dl_iterate_phdr(scan_runtime_segments, &s);
        if (roots.tls_size) {
            void *own = NULL;
            if (dlinfo(dl_handle, RTLD_DI_TLS_DATA, &own) == 0 && own) {
                scan_range(&s, (uintptr_t)own, roots.tls_size, -1);
            }
            size_t modid = 0;
            if (dlinfo(dl_handle, RTLD_DI_TLS_MODID, &modid) == 0 && modid) {
                scan_thread_tls(&s, module_id, modid, roots.tls_size);
            }
        }
        drain(&s, -1);
        for (uint64_t i = 0; i < count; i++) {
            s.unreached += s.state[i] == UNREACHED;
        }
        /* Oldest first: of a cycle of lost blocks (a std::map and its nodes, which point back into
         * it), the one allocated first, which made and held the rest, is the definitely lost one.
         * memcheck leads in address order, the same order in its own allocator, which hands out
         * rising addresses; glibc's reuses freed chunks, so a later node can sit lower. */
        if (s.unreached > 1) {
            heap_sort(s.by_age, count, blocks, s.order, 1);
        } else {
            for (uint64_t k = 0; k < count; k++) {
                s.by_age[k] = (uint32_t)k; /* one leader at most: the order is no matter, and no sort is paid for */
            }
        }
        for (uint64_t k = 0; k < count; k++) {
            uint32_t i = s.by_age[k];
            if (s.state[i] == UNREACHED) {
                s.stack[s.stack_len++] = i;
                drain(&s, (int64_t)i);
            }
        }
        static const uint8_t kind_of[] = {
            [UNREACHED] = RELIB_AGENT_LEAK_DEFINITE, [INDIRECT] = RELIB_AGENT_LEAK_INDIRECT,
            [POSSIBLE] = RELIB_AGENT_LEAK_POSSIBLE, [REACHABLE] = RELIB_AGENT_LEAK_REACHABLE,
        };
        for (uint64_t i = 0; i < count; i++) {
            kinds[s.order[i]] = kind_of[s.state[i]];
        }
    }
    scan_close(&s);
    return result;
}

uint64_t leak_scan_runtime_held(const relib_agent_block_t *blocks, uint64_t count, uint8_t *held) {
    struct scan s = {0};
    uint64_t n = 0;
    if (count && count <= UINT32_MAX / 4 && scan_open(&s, blocks, count) == 0) {
        dl_iterate_phdr(scan_runtime_segments, &s);
        drain(&s, -1);
        for (uint64_t i = 0; i < count; i++) {
            held[s.order[i]] = s.state[i] != UNREACHED;
            n += held[s.order[i]];
        }
    }
    scan_close(&s);
    return n;
}
