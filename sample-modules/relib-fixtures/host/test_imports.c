/*
 * The host's implementation of relib's test interface imports (testing/host/src/shared.rs), in C:
 * each takes the success flag first, boxed returns are malloc'd here and freed by the post
 * functions the module calls after cloning them. A host-side assertion that fails is counted as a
 * test failure; only `panic` reports failure to the module (success = 0), because that aborts it.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

ImportCalls import_calls;
DropState thread_local_drop_state = DROP_NONE;
size_t alloc_mem_len = 200u << 20;

static const char HOST_VTABLE[] = "host-owned RVec"; /* never called: the module only clones */

static int is_ones(RelibStr r, size_t len) {
    if (r.len != len) return 0;
    for (size_t i = 0; i < len; i++) {
        if (r.ptr[i] != '1') return 0;
    }
    return 1;
}

static RelibVec *boxed_vec(const void *bytes, size_t len) {
    RelibVec *v = malloc(sizeof *v);
    v->buffer = malloc(len ? len : 1);
    if (bytes) memcpy(v->buffer, bytes, len);
    v->length = v->capacity = len;
    v->vtable = HOST_VTABLE;
    return v;
}

static void post_free_str(RelibStr *boxed) {
    import_calls.posts++;
    free(boxed);
}

static void post_free_vec(RelibVec *boxed) {
    import_calls.posts++;
    free(boxed->buffer);
    free(boxed);
}

static void empty(uint8_t *ok) { import_calls.empty++; *ok = 1; }
static void empty_default(uint8_t *ok) { import_calls.empty_default++; *ok = 1; }
static void dbg_default(uint8_t *ok) { import_calls.dbg_default++; *ok = 1; }

static void ref_(uint8_t *ok, RelibStr r) {
    import_calls.ref_++;
    CHECK(is_ones(r, 100), "Imports::ref_ got %zu bytes", r.len);
    *ok = 1;
}

static RelibStr *ref_ret(uint8_t *ok, RelibStr r) {
    import_calls.ref_ret++;
    RelibStr *boxed = malloc(sizeof *boxed);
    *boxed = (RelibStr){r.ptr + 1, r.len - 1};
    *ok = 1;
    return boxed;
}

static RelibStr *ref_ret2(uint8_t *ok, RelibStr r, RelibStr r2) {
    (void)r2;
    import_calls.ref_ret2++;
    RelibStr *boxed = malloc(sizeof *boxed);
    *boxed = r;
    *ok = 1;
    return boxed;
}

static RelibVec *params_lt_and_output_without(uint8_t *ok, RelibStr r, RelibStr r2) {
    (void)r, (void)r2;
    CHECK(0, "Imports::_params_lt_and_output_without is never called by relib's test module");
    *ok = 1;
    return boxed_vec("", 0);
}

static RelibVec *ref_owned_ret(uint8_t *ok, RelibStr r) {
    import_calls.ref_owned_ret++;
    *ok = 1;
    return boxed_vec(r.ptr, r.len);
}

static void primitive(uint8_t *ok, int32_t p) {
    import_calls.primitive++;
    CHECK(p == INT32_MAX, "Imports::primitive got %d", p);
    *ok = 1;
}

static int32_t primitive_ret(uint8_t *ok, int32_t p) {
    import_calls.primitive_ret++;
    CHECK(p == INT32_MIN, "Imports::primitive_ret got %d", p);
    *ok = 1;
    return p;
}

static RelibVec *alloc_mem(uint8_t *ok) {
    import_calls.alloc_mem++;
    RelibVec *v = boxed_vec(NULL, alloc_mem_len);
    memset(v->buffer, 1, alloc_mem_len);
    *ok = 1;
    return v;
}

/* relib's test host panics here; a C host reports that as success = 0 */
static void failing_panic(uint8_t *ok) {
    import_calls.panic++;
    *ok = 0;
}

static void thread_local_drop_called(uint8_t *ok) {
    import_calls.thread_local_drop_called++;
    CHECK(thread_local_drop_state == DROP_NOT_CALLED, "thread_local_drop_called in state %d", thread_local_drop_state);
    thread_local_drop_state = DROP_CALLED;
    *ok = 1;
}

#define IMPORT(name, fn) {"__relib__Imports_" name, (void *)(fn), NULL}
#define BOXED_IMPORT(name, fn, post) {"__relib__Imports_" name, (void *)(fn), (void *)(post)}

/* relib's test host implements `panic` by panicking, so here it always fails */
const RelibImport TEST_IMPORTS[] = {
    IMPORT("empty", empty),
    IMPORT("empty_default", empty_default),
    IMPORT("dbg_default", dbg_default),
    IMPORT("ref_", ref_),
    BOXED_IMPORT("ref_ret", ref_ret, post_free_str),
    BOXED_IMPORT("ref_ret2", ref_ret2, post_free_str),
    BOXED_IMPORT("_params_lt_and_output_without", params_lt_and_output_without, post_free_vec),
    BOXED_IMPORT("ref_owned_ret", ref_owned_ret, post_free_vec),
    IMPORT("primitive", primitive),
    IMPORT("primitive_ret", primitive_ret),
    BOXED_IMPORT("alloc_mem", alloc_mem, post_free_vec),
    IMPORT("panic", failing_panic),
    IMPORT("thread_local_drop_called", thread_local_drop_called),
};
const size_t TEST_IMPORT_COUNT = sizeof TEST_IMPORTS / sizeof TEST_IMPORTS[0];

const RelibImport NO_UNLOADING_IMPORTS[] = {
    IMPORT("panic", failing_panic),
    IMPORT("primitive_ret", primitive_ret),
    BOXED_IMPORT("ref_owned_ret", ref_owned_ret, post_free_vec),
};
const size_t NO_UNLOADING_IMPORT_COUNT = sizeof NO_UNLOADING_IMPORTS / sizeof NO_UNLOADING_IMPORTS[0];
