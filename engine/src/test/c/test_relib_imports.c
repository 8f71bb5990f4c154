/* The agent's relib internal imports: the live set follows relib_host's module_allocs.rs (insert or
 * overwrite, remove what is known, ignore the rest), survives growth, and the import stubs answer. */
#include "agent_test.h"

typedef void (*on_alloc_fn)(uint64_t, uint8_t *, size_t, size_t);
typedef struct { uint32_t tag, pad; relib_agent_relib_allocation_t a; } op_t;
typedef void (*on_cached_fn)(uint64_t, const op_t *, size_t);
typedef _Bool (*is_allocated_fn)(uint64_t, uint8_t *);

int main(void) {
    uint64_t fns[4];
    relib_agent_relib_imports(fns);
    on_alloc_fn on_alloc = (on_alloc_fn)fns[0];
    on_cached_fn on_cached = (on_cached_fn)fns[1];
    is_allocated_fn is_allocated = (is_allocated_fn)fns[3];

    int64_t id = relib_agent_relib_register("test");
    CHECK(id > 0, "register gave %lld", (long long)id);
    int64_t second = relib_agent_relib_register("second");
    CHECK(second == id + 1, "ids are consecutive: %lld after %lld", (long long)second, (long long)id);

    on_alloc((uint64_t)id, (uint8_t *)0x1000, 64, 8);
    CHECK(is_allocated((uint64_t)id, (uint8_t *)0x1000), "on_alloc inserts");
    CHECK(!is_allocated((uint64_t)second, (uint8_t *)0x1000), "sets are per module");

    /* 5000 allocs (forcing growth past the first 1024 slots), one overwrite, 4000 frees, one unknown free. */
    static op_t ops[10002];
    size_t n = 0;
    for (uint64_t i = 0; i < 5000; i++) ops[n++] = (op_t){0, 0, {0x10000 + i * 16, 16, 8}};
    ops[n++] = (op_t){0, 0, {0x10000, 32, 8}};
    for (uint64_t i = 0; i < 4000; i++) ops[n++] = (op_t){1, 0, {0x10000 + i * 16, 16, 8}};
    ops[n++] = (op_t){1, 0, {0xdead0, 16, 8}};
    on_cached((uint64_t)id, ops, n);

    relib_agent_relib_stats_t stats;
    CHECK_EQ(relib_agent_relib_stats((uint64_t)id, &stats), 0);
    CHECK_EQ(stats.live_blocks, 1001u);
    CHECK_EQ(stats.live_bytes, 64u + 1000u * 16u);
    CHECK_EQ(stats.init_allocs, 1u);
    CHECK_EQ(stats.flushes, 1u);
    CHECK(!is_allocated((uint64_t)id, (uint8_t *)0x10000), "freed after the overwrite");
    CHECK(is_allocated((uint64_t)id, (uint8_t *)(0x10000 + 4999 * 16)), "still live");

    static relib_agent_relib_allocation_t all[2000];
    CHECK_EQ(relib_agent_relib_allocations((uint64_t)id, all, 2000), 1001);
    CHECK_EQ(relib_agent_relib_forget((uint64_t)id), 0);
    CHECK_EQ(relib_agent_relib_stats((uint64_t)id, &stats), -RELIB_AGENT_E_UNKNOWN);
    CHECK_EQ(relib_agent_relib_forget((uint64_t)second), 0);

    uint64_t answer = relib_agent_relib_stub_bind(42, 1, "Imports::answer: ");
    CHECK(answer != 0, "a stub was bound");
    uint8_t success = 7;
    uint64_t value = ((uint64_t (*)(uint8_t *))answer)(&success);
    CHECK_EQ(value, 42u);
    CHECK_EQ(success, 1);
    uint64_t failing = relib_agent_relib_stub_bind(0, 0, "Imports::panic: on purpose");
    ((uint64_t (*)(uint8_t *))failing)(&success);
    CHECK_EQ(success, 0);
    relib_agent_relib_stub_release(answer);
    relib_agent_relib_stub_release(failing);
    puts("ok");
    return 0;
}
