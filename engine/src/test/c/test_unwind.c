/* The agent's cached unwinder against libgcc's _Unwind_Backtrace: the same frames, frame for frame,
 * from inside Rust code (a debug and an optimised module call back into this test), on threads and
 * after the cache is warm; captures per allocation never fall back on libgcc for these modules; and
 * an unloaded module's cached rules are not used for code loaded later at the same addresses. */
#include "agent_test.h"
#include <pthread.h>

#define ID 60
#define ROUNDS 200

typedef uint32_t (*callback_fn)(uint32_t);
typedef uint32_t (*run_callback_fn)(callback_fn, uint32_t);
typedef void (*leak_fn)(size_t);

static int disagreements, checks;
static uint32_t deepest;

/* Called from the module's Rust code: compares both walks from here, through the module's frames. */
static uint32_t compare_here(uint32_t value) {
    uint64_t cached[RELIB_AGENT_STACK_DEPTH], libgcc[RELIB_AGENT_STACK_DEPTH];
    uint32_t depth = 0;
    int r = relib_agent_unwind_compare(cached, libgcc, RELIB_AGENT_STACK_DEPTH, &depth);
    CHECK(r >= 0, "unwind_compare: %d", r);
    if (r != 0) {
        disagreements++;
        fprintf(stderr, "first difference at frame %d: cached %#llx, libgcc %#llx\n", r - 1,
                (unsigned long long)cached[r - 1], (unsigned long long)libgcc[r - 1]);
    }
    checks++;
    if (depth > deepest) {
        deepest = depth;
    }
    return value + 1;
}

static uint32_t nested(run_callback_fn run, int levels);
/* Through a volatile pointer, so the recursion stays real frames rather than becoming a loop. */
static uint32_t (*volatile again)(run_callback_fn, int) = nested;

static __attribute__((noinline)) uint32_t nested(run_callback_fn run, int levels) {
    return levels == 0 ? run(compare_here, 1) : again(run, levels - 1) + 1;
}

static void *on_a_thread(void *arg) {
    run_callback_fn run = (run_callback_fn)arg;
    for (int i = 0; i < ROUNDS; i++) {
        nested(run, i % 5);
    }
    return NULL;
}

static void agrees_with_libgcc_through(const char *path, const char *export) {
    void *handle = open_module(path);
    run_callback_fn run = (run_callback_fn)export_of(handle, export);
    for (int i = 0; i < ROUNDS; i++) {
        nested(run, i % 7);
    }
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, on_a_thread, (void *)run), 0);
    pthread_join(t, NULL);
    CHECK(dlclose(handle) == 0, "dlclose: %s", dlerror());
    CHECK(disagreements == 0, "%d of %d walks through %s disagree with libgcc", disagreements, checks, path);
    CHECK(deepest >= 5, "the walks reach past the module into this test (depth %u)", deepest);
}

/* Captures of a module attached with stacks use the cached rules: no fallback. */
static void captures_need_no_fallback(void) {
    const char *path = sample("leaky");
    void *handle = open_module(path);
    CHECK_EQ(relib_agent_attach_flags(handle, ID, RELIB_AGENT_CAPTURE_STACKS), 0);
    uint64_t before = relib_agent_unwind_fallbacks();
    leak_fn leak_via_nested = (leak_fn)export_of(handle, "leak_via_nested");
    for (int i = 0; i < 1000; i++) {
        leak_via_nested(16);
    }
    CHECK_EQ(relib_agent_unwind_fallbacks(), before);
    unload_module(handle, ID);
}

int main(void) {
    agrees_with_libgcc_through(sample("relay"), "run_callback");
    agrees_with_libgcc_through(sample_release("frames"), "call_back");
    captures_need_no_fallback();
    /* After an unload the same walks through new copies still agree: stale rules were dropped. */
    agrees_with_libgcc_through(sample("relay"), "run_callback");
    agrees_with_libgcc_through(sample_release("frames"), "call_back");
    printf("ok: unwind (%d walks agree with libgcc, up to %u frames)\n", checks, deepest);
    return 0;
}
