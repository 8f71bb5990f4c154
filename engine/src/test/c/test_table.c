/* The pointer table stores most blocks in 16 bytes and the rest with a wide payload beside them
 * (table.c), in memory carved from shared 2 MiB chunks (table_memory.c). Whatever the shape of a
 * block, a snapshot must give back its exact size and alignment, frees and resizes must count
 * right, and keeping blocks again and again must not grow the process. */
#include "agent_test.h"
#include <sys/mman.h>
#include <sys/syscall.h>

#define ID 60
#define BLOCKS 6000
#define ODD_ALIGNED 20000 /* more wide payloads than a shard starts with, in every shard */

typedef void *(*malloc_fn)(size_t);
typedef void *(*memalign_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void (*free_fn)(void *);

static malloc_fn shape_malloc;
static memalign_fn shape_memalign;
static realloc_fn shape_realloc;
static free_fn shape_free;

struct expected {
    void *p;
    size_t size, align;
};

static struct expected kept[BLOCKS + ODD_ALIGNED];
static relib_agent_block_t snapshot[BLOCKS + ODD_ALIGNED + 16];

/* Sizes on both sides of a narrow entry's limit (256 KiB), and alignments that are powers of two
 * (narrow), not (48: wide) and 0 (malloc). */
static const size_t sizes[] = {1, 24, 64, 4000, 262143, 262144, 1 << 20, 5 << 20};
static const size_t aligns[] = {0, 16, 64, 4096, 48};

static size_t size_of_block(int i) {
    /* The large ones a few times only: 6,000 blocks of megabytes would be gigabytes. */
    size_t s = sizes[i % 8];
    return s > 4000 && i >= 64 ? 100 + (size_t)i % 200 : s;
}

static void *allocate(size_t size, size_t align) {
    void *p = align ? shape_memalign(align, size) : shape_malloc(size);
    CHECK(p, "allocate %zu aligned %zu", size, align);
    return p;
}

static int by_address(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)((const struct expected *)a)->p, y = (uintptr_t)((const struct expected *)b)->p;
    return (x > y) - (x < y);
}

/* Every live block of the module is one of kept[0..n) (non-NULL ones), with its size and alignment. */
static void snapshot_matches(int n) {
    int live = 0;
    uint64_t bytes = 0;
    for (int i = 0; i < n; i++) {
        if (kept[i].p) {
            kept[live++] = kept[i];
            bytes += kept[i].size;
        }
    }
    qsort(kept, (size_t)live, sizeof kept[0], by_address);
    int64_t total = relib_agent_blocks(ID, snapshot, sizeof snapshot / sizeof snapshot[0]);
    CHECK_EQ(total, live);
    relib_agent_stats_t s = stats_of(ID);
    CHECK_EQ(s.live_blocks, live);
    CHECK_EQ(s.live_bytes, bytes);
    for (int64_t i = 0; i < total; i++) {
        struct expected key = {(void *)(uintptr_t)snapshot[i].address, 0, 0};
        struct expected *e = bsearch(&key, kept, (size_t)live, sizeof kept[0], by_address);
        CHECK(e, "block %#llx is not one the test allocated", (unsigned long long)snapshot[i].address);
        CHECK(snapshot[i].size == e->size && snapshot[i].align == e->align,
              "block %p: size %llu align %llu, allocated as %zu aligned %zu", e->p,
              (unsigned long long)snapshot[i].size, (unsigned long long)snapshot[i].align, e->size, e->align);
    }
    for (int i = live; i < n; i++) {
        kept[i] = (struct expected){0};
    }
}

static void every_shape_comes_back_exact(void) {
    for (int i = 0; i < BLOCKS; i++) {
        size_t size = size_of_block(i), align = aligns[(i / 8) % 5];
        kept[i] = (struct expected){allocate(size, align), size, align};
    }
    snapshot_matches(BLOCKS);

    /* Every third freed, then allocated again in other shapes: freed wide payloads are reused. */
    int n = BLOCKS;
    for (int i = 0; i < n; i += 3) {
        shape_free(kept[i].p);
        kept[i].p = NULL;
    }
    for (int i = 0; i < n; i += 3) {
        size_t size = size_of_block(i + 1), align = aligns[(i / 8 + 2) % 5];
        kept[i] = (struct expected){allocate(size, align), size, align};
    }
    snapshot_matches(n);

    /* Resized across the narrow limit both ways: a resize keeps no alignment (malloc's). */
    for (int i = 1; i < 400; i += 2) {
        size_t size = kept[i].size >= 262144 ? 10 : 300000;
        void *q = shape_realloc(kept[i].p, size);
        CHECK(q, "realloc to %zu", size);
        kept[i] = (struct expected){q, size, 0};
    }
    snapshot_matches(n);

    for (int i = 0; i < n; i++) {
        shape_free(kept[i].p);
    }
    CHECK_EQ(stats_of(ID).live_blocks, 0);
    CHECK_EQ(relib_agent_blocks(ID, snapshot, 1), 0);
}

static void many_wide_payloads_grow_and_drain(void) {
    for (int i = 0; i < ODD_ALIGNED; i++) {
        kept[i] = (struct expected){allocate(16 + (size_t)i % 7, 48), 16 + (size_t)i % 7, 48};
    }
    snapshot_matches(ODD_ALIGNED);
    /* The unload's free_blocks drains wide entries like narrow ones. */
    uint64_t freed = 0;
    uint64_t bytes = stats_of(ID).live_bytes;
    CHECK_EQ(relib_agent_free_blocks(ID, &freed), ODD_ALIGNED);
    CHECK_EQ(freed, bytes);
    CHECK_EQ(stats_of(ID).live_blocks, 0);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* The agent writes in each 2 MiB chunk it maps for the table at once (table_memory.c), and nothing
 * else of it calls madvise: this executable's definition is the one its calls bind to. */
static int chunks_mapped;

__attribute__((visibility("default"))) int madvise(void *addr, size_t length, int advice) {
    chunks_mapped += advice == MADV_POPULATE_WRITE;
    return (int)syscall(SYS_madvise, addr, length, advice);
}

/* A thread keeping blocks fills the table one shard at a time (blocks carved one after another
 * share a shard), so each shard grows through every size while the others wait and its old array is
 * often the only piece of its chunk. 300,000 64-byte blocks need about 8 MiB of entries, a few
 * chunks (8 here); unmapping each chunk as it emptied made the first fill map and zero 594. */
static void first_fill_maps_few_chunks(void) {
    enum { MANY = 300000 };
    void **many = calloc(MANY, sizeof *many);
    CHECK(many, "calloc");
    int before = chunks_mapped;
    for (int i = 0; i < MANY; i++) {
        many[i] = allocate(64, 0);
    }
    int mapped = chunks_mapped - before;
    CHECK_EQ(stats_of(ID).live_blocks, MANY);
    for (int i = 0; i < MANY; i++) {
        shape_free(many[i]);
    }
    free(many);
    CHECK(mapped > 0 && mapped <= 16, "the first fill of 300,000 blocks mapped %d chunks", mapped);
}

static long resident_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    CHECK(f, "open /proc/self/statm");
    long pages = 0, resident = 0;
    CHECK_EQ(fscanf(f, "%ld %ld", &pages, &resident), 2);
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The table keeps its size once grown and reuses it, wide payloads included: keeping 300,000 blocks
 * a tenth time costs no more memory than the second time did. */
static void keeping_again_does_not_grow(void) {
    enum { MANY = 300000 };
    void **many = calloc(MANY, sizeof *many);
    CHECK(many, "calloc");
    long after_second = 0;
    for (int round = 1; round <= 10; round++) {
        for (int i = 0; i < MANY; i++) {
            many[i] = allocate(40, i % 4 ? 0 : 48); /* a quarter wide */
        }
        CHECK_EQ(stats_of(ID).live_blocks, MANY);
        for (int i = 0; i < MANY; i++) {
            shape_free(many[i]);
        }
        if (round == 2) {
            after_second = resident_kib();
        }
    }
    long growth = resident_kib() - after_second;
    CHECK(growth < 4096, "resident set grew %ld KiB from the second round to the tenth", growth);
    free(many);
}

int main(void) {
    const char *path = c_sample("shapes");
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, ID), 0);
    shape_malloc = (malloc_fn)export_of(h, "shape_malloc");
    shape_memalign = (memalign_fn)export_of(h, "shape_memalign");
    shape_realloc = (realloc_fn)export_of(h, "shape_realloc");
    shape_free = (free_fn)export_of(h, "shape_free");
    first_fill_maps_few_chunks(); /* first: a table no other test has grown */
    every_shape_comes_back_exact();
    many_wide_payloads_grow_and_drain();
    keeping_again_does_not_grow();
    unload_module(h, ID);
    printf("ok: table (first fill maps few chunks, every block shape exact, wide payloads reused and drained, no growth on keeping again)\n");
    return 0;
}
