/* The pointer table's memory: zeroed pieces of a power-of-two size, carved from 2 MiB chunks, so the
 * shards' arrays (tens of KiB each) share a few mappings instead of one each (500,000 kept blocks
 * add 13 mappings to the process instead of 47, each a line the unload's final check reads). Chunks lie
 * at 2 MiB boundaries, so a piece finds its chunk by its address.
 *
 * Chunks were asked to be huge pages (MADV_HUGEPAGE) for the table's TLB misses; measured again
 * with the 16-byte entries, in 10 alternating rounds of bench/run's C process, huge pages gained a
 * kept block 0.5 ns in the steady state (28.05 against 28.59) and cost the first 500,000 kept
 * blocks 80 (233.9 ns a block against 153.9; 90.6 untracked): on a virtual machine a huge page the
 * guest has never touched costs 5.3 ms to fault in where 2 MiB of small pages cost 0.8.
 *
 * A chunk holds pieces of one size at a time (a slab). A chunk whose pieces are all free is kept,
 * up to SPARES_MAX of them, and carved again for whatever size is asked next: a thread filling the
 * table fills one shard after another (blocks carved one after another share a shard), so each shard
 * grows through every size while the others wait, and its old array is often the only piece of its
 * chunk. Unmapping that chunk at once made every growth map, zero and unmap 2 MiB: 780 chunks for
 * the first 500,000 kept blocks, 275-390 ns a block against 91 untracked. Pieces of 2 MiB and more
 * are mappings of their own. Called only when a shard grows (under its lock, which is always taken
 * before this one), never on a hook's path. */
#include <string.h>
#include <sys/mman.h>
#include "agent_internal.h"

#define CHUNK (2ul << 20)
#define PIECE_MIN 4096ul
#define PIECES_MAX (CHUNK / PIECE_MIN)
#define CHUNKS_MAX 1024
#define SPARES_MAX 2

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels refuse it and fault the pages in as used */
#endif

struct chunk {
    uintptr_t base; /* 0 for a free descriptor */
    size_t piece;   /* 0 for a spare: mapped, every piece free, no size yet */
    uint32_t used;
    size_t written; /* bytes from base ever handed out: the rest is as the kernel zeroed it */
    uint64_t taken[PIECES_MAX / 64]; /* bit i: piece i is handed out */
};

static struct chunk chunks[CHUNKS_MAX];
static int spares;
static int memory_lock;

void table_memory_after_fork_child(void) {
    spin_unlock(&memory_lock);
}

static size_t piece_size(size_t bytes) {
    size_t piece = PIECE_MIN;
    while (piece < bytes) {
        piece *= 2;
    }
    return piece;
}

/* bytes (a multiple of CHUNK) at a CHUNK boundary, written in at once (one fault per page otherwise
 * costs a table of kept blocks more than the blocks themselves). */
static void *map_chunks(size_t bytes) {
    char *m = mmap(NULL, bytes + CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        return NULL;
    }
    char *start = (char *)(((uintptr_t)m + CHUNK - 1) & ~(CHUNK - 1));
    if (start > m) {
        munmap(m, (size_t)(start - m));
    }
    munmap(start + bytes, (size_t)(m + CHUNK - start));
    madvise(start, bytes, MADV_POPULATE_WRITE);
    return start;
}

static void *piece_in(struct chunk *c) {
    for (uint32_t w = 0; w < CHUNK / c->piece; w += 64) {
        uint64_t free_bits = ~c->taken[w / 64];
        uint32_t n = (uint32_t)(CHUNK / c->piece - w);
        if (n < 64) {
            free_bits &= (1ull << n) - 1;
        }
        if (free_bits) {
            uint32_t i = w + (uint32_t)__builtin_ctzll(free_bits);
            c->taken[i / 64] |= 1ull << (i % 64);
            c->used++;
            size_t offset = i * c->piece;
            if (offset < c->written) {
                memset((void *)(c->base + offset), 0, c->piece); /* holds what it held before */
            }
            if (offset + c->piece > c->written) {
                c->written = offset + c->piece;
            }
            return (void *)(c->base + offset);
        }
    }
    return NULL;
}

void *table_memory_get(size_t bytes) {
    size_t piece = piece_size(bytes);
    if (piece >= CHUNK) {
        return map_chunks(piece); /* a power of two, so whole chunks */
    }
    void *p = NULL;
    spin_lock(&memory_lock);
    struct chunk *vacant = NULL, *spare = NULL;
    for (int i = 0; i < CHUNKS_MAX && !p; i++) {
        struct chunk *c = &chunks[i];
        if (!c->base) {
            vacant = vacant ? vacant : c;
        } else if (!c->piece) {
            spare = spare ? spare : c;
        } else if (c->piece == piece && c->used < CHUNK / piece) {
            p = piece_in(c);
        }
    }
    if (!p && spare) {
        spare->piece = piece;
        spares--;
        p = piece_in(spare);
    }
    if (!p && vacant) {
        void *base = map_chunks(CHUNK);
        if (base) {
            *vacant = (struct chunk){(uintptr_t)base, piece, 0, 0, {0}};
            p = piece_in(vacant);
        }
    }
    spin_unlock(&memory_lock);
    if (!p) { /* every descriptor in use: a mapping of its own, small pages */
        p = mmap(NULL, piece, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        p = p == MAP_FAILED ? NULL : p;
    }
    return p;
}

/* Gives p back to the chunk it was carved from; 0 when no chunk holds it. */
static int return_to_chunk(void *p, size_t piece) {
    uintptr_t base = (uintptr_t)p & ~(CHUNK - 1);
    int found = 0;
    spin_lock(&memory_lock);
    for (int i = 0; i < CHUNKS_MAX && !found; i++) {
        struct chunk *c = &chunks[i];
        if (c->base == base && c->piece == piece) {
            uint32_t n = (uint32_t)(((uintptr_t)p - base) / piece);
            c->taken[n / 64] &= ~(1ull << (n % 64));
            if (--c->used == 0 && spares < SPARES_MAX) {
                c->piece = 0;
                spares++;
            } else if (c->used == 0) {
                munmap((void *)c->base, CHUNK);
                c->base = 0;
            }
            found = 1;
        }
    }
    spin_unlock(&memory_lock);
    return found;
}

/* Anything not carved from a chunk (2 MiB and more, or mapped when every descriptor was in use) is
 * a mapping of its own. */
void table_memory_put(void *p, size_t bytes) {
    size_t piece = piece_size(bytes);
    if (piece >= CHUNK || !return_to_chunk(p, piece)) {
        munmap(p, piece);
    }
}
