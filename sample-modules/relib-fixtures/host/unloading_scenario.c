/*
 * relib's `unloading` test scenario (testing/host/src/unloading.rs) against a module with relib's
 * test interface: load, main, every export, unload step by step, twice. On the fixture it also runs
 * the fixture's probes (cache flush, mapping, pthread key, backtrace, parked thread, ROption/RVec).
 */
#define _GNU_SOURCE
#include "harness.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) "__relib__Exports_" name
#define POST(name) "__post__relib__Exports_" name
#define CACHE_SIZE 20000

typedef struct {
    const UnloadingTarget *target;
    uintptr_t own_file_mapping; /* from Exports::mmap_leak */
    unsigned leaked_key;        /* from Exports::pthread_key_leak */
    RelibAllocation leaked;     /* the block Exports::leak left behind */
} Probes;

static char hundred_ones[101];

static void post(const RelibModule *m, const char *symbol, void *value) {
    void (*fn)(void *) = (void (*)(void *))module_symbol(m, symbol);
    if (fn) fn(value);
}

static void check_panics(const RelibModule *m) {
    Capture err;
    capture_start(&err, 2);
    void (*primitive)(Flag *, int32_t) = (void (*)(Flag *, int32_t))module_symbol(m, EXPORT("primitive"));
    Flag ok = FLAG_UNWRITTEN;
    primitive(&ok, 0);
    int panicked = call_void_export(m, EXPORT("panic")) == 0;
    char *text = capture_end(&err);
    CHECK(ok == 0, "Exports::primitive(0) fails its assertion: success = 0 (got %u)", ok);
    CHECK(panicked, "Exports::panic gives success = 0");
    CHECK(strstr(text, "expected panic") != NULL, "std printed the panic message: %s", text);
    free(text);
}

static void check_boxed_returns(const RelibModule *m) {
    RelibStr hundred = {(const uint8_t *)hundred_ones, 100};
    Flag ok = FLAG_UNWRITTEN;
    RelibVec *owned = ((RelibVec * (*)(Flag *, RelibStr)) module_symbol(m, EXPORT("ref_owned_ret")))(&ok, hundred);
    if (succeeded(ok, "ref_owned_ret")) {
        CHECK(owned->length == 100 && memcmp(owned->buffer, hundred_ones, 100) == 0, "ref_owned_ret returns an equal RString");
        CHECK(owned->capacity >= owned->length && owned->vtable != NULL, "RString has capacity and vtable");
        CHECK(owned->buffer != hundred_ones, "an owned copy, not the argument");
        post(m, POST("ref_owned_ret"), owned);
    }
    ok = FLAG_UNWRITTEN;
    RelibStr *tail = ((RelibStr * (*)(Flag *, RelibStr)) module_symbol(m, EXPORT("ref_ret")))(&ok, hundred);
    if (succeeded(ok, "ref_ret")) {
        CHECK(tail->ptr == hundred.ptr + 1 && tail->len == 99, "ref_ret returns the slice [1..]");
        post(m, POST("ref_ret"), tail);
    }
    ok = FLAG_UNWRITTEN;
    RelibStr other = {(const uint8_t *)"x", 1};
    RelibStr *first = ((RelibStr * (*)(Flag *, RelibStr, RelibStr)) module_symbol(m, EXPORT("ref_ret2")))(&ok, hundred, other);
    if (succeeded(ok, "ref_ret2")) {
        CHECK(first->ptr == hundred.ptr && first->len == 100, "ref_ret2 returns its first argument");
        post(m, POST("ref_ret2"), first);
    }
}

static void check_alloc_mem(const RelibModule *m, const UnloadingTarget *t) {
    Flag ok = FLAG_UNWRITTEN;
    RelibVec *mem = ((RelibVec * (*)(Flag *)) module_symbol(m, EXPORT("alloc_mem")))(&ok);
    if (!succeeded(ok, "alloc_mem")) return;
    const uint8_t *bytes = mem->buffer;
    size_t ones = 0;
    for (size_t i = 0; i < mem->length; i++) ones += bytes[i] == 1;
    CHECK(mem->length == t->alloc_mem_len && ones == mem->length, "alloc_mem: %zu bytes of 1 (got %zu, %zu ones)",
          t->alloc_mem_len, mem->length, ones);
    void *buffer = mem->buffer;
    post(m, POST("alloc_mem"), mem);
    m->take_cached_allocs_before_exit();
    CHECK(!relib_live_block(m->id, buffer, NULL), "the post function freed alloc_mem's buffer in the module");
}

static void check_call_imports(const RelibModule *m) {
    memset(&import_calls, 0, sizeof import_calls);
    CHECK(call_void_export(m, EXPORT("call_imports")), "call_imports: the module accepted every import's result");
    const ImportCalls *c = &import_calls;
    CHECK(c->empty == 1 && c->empty_default == 1 && c->dbg_default == 1 && c->ref_ == 1, "the unit imports ran once");
    CHECK(c->ref_ret == 1 && c->ref_ret2 == 1 && c->ref_owned_ret == 1 && c->alloc_mem == 1, "the boxed imports ran once");
    CHECK(c->primitive == 1 && c->primitive_ret == 1, "the scalar imports ran once");
    CHECK(c->posts == 4, "the module called the post slot of each boxed import once (%d)", c->posts);
}

static void check_threads(const RelibModule *m) {
    void (*spawn)(Flag *, uint64_t, uint8_t) =
        (void (*)(Flag *, uint64_t, uint8_t))module_symbol(m, EXPORT("spawn_background_threads"));
    Flag ok = FLAG_UNWRITTEN;
    spawn(&ok, m->id, 2);
    CHECK(succeeded(ok, "spawn_background_threads") && m->spawned_threads_count() == 2,
          "two module threads counted (%llu)", (unsigned long long)m->spawned_threads_count());
    Capture out;
    capture_start(&out, 1);
    CHECK(call_void_export(m, EXPORT("join_background_threads")), "join_background_threads");
    free(capture_end(&out));
    CHECK(m->spawned_threads_count() == 0, "joined threads no longer counted");
}

/* The fixture's probes: things relib's test module does not export. */
static void check_fixture_probes(const RelibModule *m, Probes *p) {
    m->take_cached_allocs_before_exit();
    RelibAllocStats before = relib_alloc_stats(m->id);
    Flag ok = FLAG_UNWRITTEN;
    size_t churned = ((size_t(*)(Flag *, size_t))module_symbol(m, EXPORT("churn")))(&ok, 30000);
    RelibAllocStats after = relib_alloc_stats(m->id);
    CHECK(succeeded(ok, "churn") && churned == 30000, "churn");
    CHECK(after.on_cached_allocs_calls > before.on_cached_allocs_calls, "a full cache flushed during the call");
    CHECK(after.largest_batch == CACHE_SIZE, "flushes carry %d ops (got %llu)", CACHE_SIZE, (unsigned long long)after.largest_batch);
    m->take_cached_allocs_before_exit();
    after = relib_alloc_stats(m->id);
    CHECK(after.live_blocks < before.live_blocks + 64, "churned blocks are not live (%zu -> %zu)", before.live_blocks, after.live_blocks);

    ok = FLAG_UNWRITTEN;
    RelibVec *counted = ((RelibVec * (*)(Flag *, uint32_t)) module_symbol(m, EXPORT("count_to")))(&ok, 5);
    if (succeeded(ok, "count_to")) {
        const uint32_t *v = counted->buffer;
        CHECK(counted->length == 5 && v[0] == 1 && v[4] == 5, "count_to(5) is RVec<u32> [1..=5]");
        post(m, POST("count_to"), counted);
    }
    for (uint32_t n = 0; n <= 7; n += 7) {
        ok = FLAG_UNWRITTEN;
        uint8_t *option = ((uint8_t * (*)(Flag *, uint32_t)) module_symbol(m, EXPORT("maybe_u32")))(&ok, n);
        if (!succeeded(ok, "maybe_u32")) continue;
        uint32_t value;
        memcpy(&value, option + 4, sizeof value);
        CHECK(n ? option[0] == 0 && value == 7 : option[0] == 1, "maybe_u32(%u): ROption tag %u (RSome = 0, RNone = 1)", n, option[0]);
        post(m, POST("maybe_u32"), option);
    }
    const uint32_t values[] = {1, 2, 3, 4};
    RelibStr slice = {(const uint8_t *)values, 4}; /* RSlice<u32>: {data, length in elements} */
    ok = FLAG_UNWRITTEN;
    uint64_t total = ((uint64_t(*)(Flag *, RelibStr))module_symbol(m, EXPORT("sum")))(&ok, slice);
    CHECK(succeeded(ok, "sum") && total == 10, "sum(RSlice [1,2,3,4]) = 10 (got %llu)", (unsigned long long)total);

    CHECK(call_void_export(m, EXPORT("spawn_thread")) && m->spawned_threads_count() == 1, "spawn_thread counted");
    ok = FLAG_UNWRITTEN;
    uint8_t joined = ((uint8_t(*)(Flag *))module_symbol(m, EXPORT("join_thread")))(&ok);
    CHECK(succeeded(ok, "join_thread") && joined == 1 && m->spawned_threads_count() == 0, "join_thread");

    ok = FLAG_UNWRITTEN;
    p->own_file_mapping = ((uintptr_t(*)(Flag *))module_symbol(m, EXPORT("mmap_leak")))(&ok);
    char mapped_path[4096] = "";
    CHECK(succeeded(ok, "mmap_leak") && relib_address_mapped(p->own_file_mapping, mapped_path, sizeof mapped_path) &&
              strcmp(m->path, mapped_path) == 0,
          "mmap_leak mapped the module's own file (%s)", mapped_path);

    pthread_key_t probe;
    pthread_key_create(&probe, NULL);
    pthread_key_delete(probe);
    ok = FLAG_UNWRITTEN;
    p->leaked_key = ((uint32_t(*)(Flag *))module_symbol(m, EXPORT("pthread_key_leak")))(&ok);
    CHECK(succeeded(ok, "pthread_key_leak") && p->leaked_key == probe, "the module took the lowest free key %u (got %u)", probe,
          p->leaked_key);

    ok = FLAG_UNWRITTEN;
    uint8_t named = ((uint8_t(*)(Flag *))module_symbol(m, EXPORT("backtrace")))(&ok);
    CHECK(succeeded(ok, "backtrace") && named == 1, "a std backtrace in the module names its source file");
}

static void after_step(RelibModule *m, RelibUnloadStep done, void *context) {
    Probes *p = context;
    if (done == RELIB_STEP_THREAD_LOCAL_DTORS) {
        CHECK(import_calls.thread_local_drop_called == 1, "the owner thread's TLS destructor ran in run_thread_local_dtors");
    } else if (done == RELIB_STEP_MISC_CLEANUP && !p->target->genuine) {
        CHECK(!relib_address_mapped(p->own_file_mapping, NULL, 0), "misc_cleanup unmapped the module's mmap64 mapping");
        pthread_key_t again;
        pthread_key_create(&again, NULL);
        CHECK(again == p->leaked_key, "misc_cleanup deleted the module's pthread key %u (next free: %u)", p->leaked_key, again);
        pthread_key_delete(again);
    } else if (done == RELIB_STEP_EXIT) {
        CHECK(m->exit_count >= 3 && m->exit_bytes >= p->target->leak_bytes, "exit got the live set: %zu blocks, %zu bytes",
              m->exit_count, m->exit_bytes);
        CHECK(!relib_address_mapped((uintptr_t)p->leaked.ptr, NULL, 0), "exit freed the leaked %zu bytes (its pages are unmapped)",
              p->leaked.size);
    }
}

static void run_cycle(const UnloadingTarget *t, const char *host_info) {
    memset(&import_calls, 0, sizeof import_calls);
    thread_local_drop_state = DROP_NONE;
    alloc_mem_len = t->alloc_mem_len;
    RelibModule m;
    RelibResult loaded = relib_load(&m, t->path, host_info, true, true, TEST_IMPORTS, TEST_IMPORT_COUNT);
    CHECK(loaded == RELIB_OK, "%s loads: %s (info %s)", t->label, relib_result_name(loaded), m.info);
    if (loaded != RELIB_OK) return;
    RelibAllocStats init = relib_alloc_stats(m.id);
    CHECK(init.on_alloc_calls == 2 && init.live_blocks == 2, "init reported the tracker's 2 reservations via on_alloc (%llu, %zu)",
          (unsigned long long)init.on_alloc_calls, init.live_blocks);
    RelibModule twice;
    CHECK(relib_load(&twice, t->path, host_info, true, true, NULL, 0) == RELIB_MODULE_ALREADY_LOADED, "a second load is refused");

    CHECK(dlsym(m.handle, "__post__relib__main") == NULL, "main returns () unboxed");
    Capture out;
    capture_start(&out, 1);
    int main_ok = call_void_export(&m, "__relib__main");
    char *printed = capture_end(&out);
    CHECK(main_ok && strstr(printed, "[module] main called"), "main ran: %s", printed);
    free(printed);

    /* relib's test_exports, in its order */
    Capture err;
    capture_start(&err, 2); /* dbg!() */
    CHECK(call_void_export(&m, EXPORT("empty")) && call_void_export(&m, EXPORT("empty_default")) &&
              call_void_export(&m, EXPORT("dbg_default")),
          "the unit exports succeed");
    free(capture_end(&err));
    Flag ok = FLAG_UNWRITTEN;
    ((void (*)(Flag *, RelibStr))module_symbol(&m, EXPORT("ref_")))(&ok, (RelibStr){(const uint8_t *)hundred_ones, 100});
    CHECK(succeeded(ok, "ref_"), "ref_ accepts \"1\" x 100");
    check_boxed_returns(&m);
    ok = FLAG_UNWRITTEN;
    ((void (*)(Flag *, int32_t))module_symbol(&m, EXPORT("primitive")))(&ok, INT32_MAX);
    CHECK(succeeded(ok, "primitive"), "primitive(i32::MAX)");
    ok = FLAG_UNWRITTEN;
    int32_t back = ((int32_t(*)(Flag *, int32_t))module_symbol(&m, EXPORT("primitive_ret")))(&ok, INT32_MIN);
    CHECK(succeeded(ok, "primitive_ret") && back == INT32_MIN, "primitive_ret(i32::MIN) returns it");

    thread_local_drop_state = DROP_NOT_CALLED;
    capture_start(&out, 1);
    CHECK(call_void_export(&m, EXPORT("thread_locals")), "thread_locals");
    free(capture_end(&out));
    CHECK(import_calls.thread_local_drop_called == 0, "the owner thread's TLS destructor waits for unload");
    check_alloc_mem(&m, t);

    Probes probes = {.target = t};
    ok = FLAG_UNWRITTEN;
    ((void (*)(Flag *, size_t))module_symbol(&m, EXPORT("leak")))(&ok, t->leak_bytes);
    m.take_cached_allocs_before_exit();
    CHECK(succeeded(ok, "leak") && relib_live_block_of_size(m.id, t->leak_bytes, 1, &probes.leaked),
          "the leaked %zu bytes are in the live set", t->leak_bytes);
    check_call_imports(&m);
    uint8_t (*once)(Flag *) = (uint8_t(*)(Flag *))module_symbol(&m, EXPORT("only_called_once"));
    Flag ok2 = FLAG_UNWRITTEN;
    ok = FLAG_UNWRITTEN;
    uint8_t first = once(&ok), second = once(&ok2);
    CHECK(succeeded(ok, "only_called_once") && succeeded(ok2, "only_called_once") && first == 1 && second == 0,
          "only_called_once: true then false, fresh in each load (%u, %u)", first, second);

    check_threads(&m);
    check_panics(&m);
    if (!t->genuine) check_fixture_probes(&m, &probes);

    capture_start(&out, 1);
    capture_start(&err, 2);
    RelibResult unloaded = relib_unload(&m, after_step, &probes);
    char *unload_err = capture_end(&err);
    printed = capture_end(&out);
    CHECK(unloaded == RELIB_OK, "%s unloads: %s", t->label, relib_result_name(unloaded));
    CHECK(t->genuine || strstr(printed, "[module] before_unload"), "before_unload ran: %s", printed);
    CHECK(!m.warned_no_tracker, "no missing-tracker warning: %s", unload_err);
    CHECK(import_calls.thread_local_drop_called == 1, "thread_local_drop_called exactly once per cycle");
    CHECK(!relib_maps_contain(t->path), "%s is gone from /proc/self/maps", t->path);
    free(printed);
    free(unload_err);
}

void scenario_unloading(const UnloadingTarget *t, const char *host_info) {
    memset(hundred_ones, '1', 100);
    for (int cycle = 1; cycle <= 2; cycle++) run_cycle(t, host_info);
}
