/* Call stacks per allocation: a module attached with RELIB_AGENT_CAPTURE_STACKS gets a stack id on
 * every block, whose frames lead from the module code that allocated back through the caller;
 * identical stacks share one id, also when many threads capture at once; realloc keeps the stack;
 * a module attached without stacks has none. */
#include "agent_test.h" /* first: it defines _GNU_SOURCE, which dladdr needs */
#include <pthread.h>

#define ID 50
#define THREADS 4
#define PER_THREAD 500

typedef void (*leak_fn)(size_t);
typedef uint8_t *(*alloc_raw_fn)(size_t);
typedef uint8_t *(*grow_raw_fn)(uint8_t *, size_t, size_t);
typedef void (*free_raw_fn)(uint8_t *, size_t);

static leak_fn leak_via_nested, leak_bytes;

static relib_agent_block_t blocks[4096];
static relib_agent_stack_t stacks[256];

static int64_t snapshot_blocks(uint32_t id) {
    int64_t n = relib_agent_blocks(id, blocks, 4096);
    CHECK(n >= 0 && n <= 4096, "blocks: %lld", (long long)n);
    return n;
}

static const relib_agent_block_t *block_of_size(int64_t n, uint64_t size) {
    for (int64_t i = 0; i < n; i++) {
        if (blocks[i].size == size) {
            return &blocks[i];
        }
    }
    CHECK(0, "no block of %llu bytes", (unsigned long long)size);
    return NULL;
}

static const relib_agent_stack_t *stack_of(uint32_t module, uint32_t stack_id) {
    int64_t n = relib_agent_stacks(module, stacks, 256);
    CHECK(n >= 0 && n <= 256, "stacks: %lld", (long long)n);
    for (int64_t i = 0; i < n; i++) {
        if (stacks[i].id == stack_id) {
            return &stacks[i];
        }
    }
    CHECK(0, "stack %u is not in the snapshot", stack_id);
    return NULL;
}

/* Index of the first frame whose call site lies in the exported function `name`, or -1. */
static int frame_in(const relib_agent_stack_t *s, const char *name) {
    for (uint32_t f = 0; f < s->depth; f++) {
        Dl_info info;
        /* A return address: the call is the instruction before it. */
        if (dladdr((void *)(uintptr_t)(s->frames[f] - 1), &info) && info.dli_sname && strcmp(info.dli_sname, name) == 0) {
            return (int)f;
        }
    }
    return -1;
}

static int in_object(uint64_t address, void *base) {
    Dl_info info;
    return dladdr((void *)(uintptr_t)(address - 1), &info) && info.dli_fbase == base;
}

static void *module_base(void *handle) {
    Dl_info info;
    CHECK(dladdr(export_of(handle, "leak_via_nested"), &info), "dladdr");
    return info.dli_fbase;
}

static void frames_lead_from_the_allocating_function_to_its_caller(void *handle) {
    void *base = module_base(handle);
    leak_via_nested(1234);
    int64_t n = snapshot_blocks(ID);
    const relib_agent_block_t *b = block_of_size(n, 1234);
    CHECK(b->stack_id != 0, "a block of a module attached with stacks has a stack");
    const relib_agent_stack_t *s = stack_of(ID, b->stack_id);
    CHECK(s->depth >= 3 && s->depth <= RELIB_AGENT_STACK_DEPTH, "depth %u", s->depth);
    CHECK(in_object(s->frames[0], base), "the innermost frame is the module's call into the allocator, not the agent");
    int exported = frame_in(s, "leak_via_nested");
    /* nested_inner and nested_outer, both in the module, come before leak_via_nested. */
    CHECK(exported >= 2, "leak_via_nested at frame %d", exported);
    CHECK(in_object(s->frames[exported - 1], base) && in_object(s->frames[exported - 2], base), "nested frames");
    /* The frame after the export is this test calling it. */
    Dl_info caller;
    CHECK((uint32_t)exported + 1 < s->depth, "the stack reaches the caller");
    CHECK(dladdr((void *)(uintptr_t)(s->frames[exported + 1] - 1), &caller), "dladdr caller");
    CHECK(caller.dli_fbase != base, "the caller is outside the module");
}

static void identical_stacks_share_an_id(void) {
    uint32_t ids[3];
    volatile int calls = 3; /* a loop the compiler cannot unroll: one call site */
    for (int i = 0; i < calls; i++) {
        leak_via_nested(2000 + (size_t)i);
    }
    int64_t n = snapshot_blocks(ID);
    for (int i = 0; i < 3; i++) {
        ids[i] = block_of_size(n, 2000 + (uint64_t)i)->stack_id;
    }
    CHECK_EQ(ids[1], ids[0]);
    CHECK_EQ(ids[2], ids[0]);
    leak_bytes(3000);
    n = snapshot_blocks(ID);
    CHECK(block_of_size(n, 3000)->stack_id != ids[0], "another call site, another stack");
}

static void realloc_keeps_the_stack(void *handle) {
    alloc_raw_fn alloc_raw = (alloc_raw_fn)export_of(handle, "alloc_raw");
    grow_raw_fn grow_raw = (grow_raw_fn)export_of(handle, "grow_raw");
    free_raw_fn free_raw = (free_raw_fn)export_of(handle, "free_raw");
    uint8_t *p = alloc_raw(4001);
    uint32_t before = block_of_size(snapshot_blocks(ID), 4001)->stack_id;
    p = grow_raw(p, 4001, 40001);
    uint32_t after = block_of_size(snapshot_blocks(ID), 40001)->stack_id;
    CHECK(before != 0, "alloc_raw's block has a stack");
    CHECK_EQ(after, before);
    CHECK(frame_in(stack_of(ID, after), "alloc_raw") >= 0, "the stack is alloc_raw's, not grow_raw's");
    free_raw(p, 40001);
}

static void *leak_many(void *arg) {
    (void)arg;
    for (int i = 0; i < PER_THREAD; i++) {
        leak_via_nested(7);
    }
    return NULL;
}

static void concurrent_capture_agrees_on_one_id(void) {
    relib_agent_stats_t before = stats_of(ID);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        CHECK_EQ(pthread_create(&t[i], NULL, leak_many, NULL), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    CHECK_EQ(stats_of(ID).live_blocks, before.live_blocks + THREADS * PER_THREAD);
    int64_t n = snapshot_blocks(ID);
    uint32_t id = 0;
    int64_t sevens = 0;
    for (int64_t i = 0; i < n; i++) {
        if (blocks[i].size == 7) {
            CHECK(blocks[i].stack_id != 0, "every block has a stack");
            CHECK(id == 0 || blocks[i].stack_id == id, "the same stack from every thread: %u and %u", id, blocks[i].stack_id);
            id = blocks[i].stack_id;
            sevens++;
        }
    }
    CHECK_EQ(sevens, THREADS * PER_THREAD);
    /* No stack is listed twice, whoever won the race to add it. */
    int64_t count = relib_agent_stacks(ID, stacks, 256);
    CHECK(count > 0 && count <= 256, "stacks: %lld", (long long)count);
    for (int64_t i = 0; i < count; i++) {
        for (int64_t j = i + 1; j < count; j++) {
            CHECK(stacks[i].depth != stacks[j].depth
                  || memcmp(stacks[i].frames, stacks[j].frames, stacks[i].depth * sizeof(uint64_t)) != 0,
                  "stacks %u and %u are the same", stacks[i].id, stacks[j].id);
        }
    }
}

static void without_stacks_every_id_is_zero(const char *path) {
    void *handle = open_module(path);
    CHECK_EQ(relib_agent_attach(handle, ID + 1), 0);
    ((leak_fn)export_of(handle, "leak_via_nested"))(555);
    ((leak_fn)export_of(handle, "leak_bytes"))(556);
    int64_t n = snapshot_blocks(ID + 1);
    CHECK(n >= 2, "blocks: %lld", (long long)n);
    for (int64_t i = 0; i < n; i++) {
        CHECK_EQ(blocks[i].stack_id, 0);
    }
    CHECK_EQ(relib_agent_stacks(ID + 1, stacks, 256), 0);
    unload_module(handle, ID + 1);
}

int main(void) {
    const char *path = sample("leaky");
    void *handle = open_module(path);
    CHECK_EQ(relib_agent_attach_flags(handle, ID, 0x80), -RELIB_AGENT_E_INVALID);
    CHECK_EQ(relib_agent_attach_flags(handle, ID, RELIB_AGENT_CAPTURE_STACKS), 0);
    leak_via_nested = (leak_fn)export_of(handle, "leak_via_nested");
    leak_bytes = (leak_fn)export_of(handle, "leak_bytes");

    frames_lead_from_the_allocating_function_to_its_caller(handle);
    identical_stacks_share_an_id();
    realloc_keeps_the_stack(handle);
    concurrent_capture_agrees_on_one_id();
    unload_module(handle, ID);
    CHECK(!mapped(path), "unloaded");

    without_stacks_every_id_is_zero(path);
    printf("test_stacks: ok\n");
    return 0;
}
