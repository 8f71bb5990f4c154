/* C++ operator new and delete in every variant (plain, array, sized, aligned, nothrow), hooked in
 * the module's GOT like malloc: a new is a tracked glibc allocation of the requested size (as
 * libstdc++'s operators are), a delete is the module's free. When glibc has no memory, the hook
 * calls libstdc++'s own operator new, which runs the new-handler or throws std::bad_alloc, and
 * tracks what it returns. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include "tracking.h"

enum new_form { NEW_PLAIN, NEW_ARRAY, NEW_NOTHROW, NEW_ARRAY_NOTHROW, NEW_ALIGNED, NEW_ARRAY_ALIGNED,
                NEW_ALIGNED_NOTHROW, NEW_ARRAY_ALIGNED_NOTHROW, NEW_FORMS };

static const char *const new_names[NEW_FORMS] = {
    "_Znwm", "_Znam", "_ZnwmRKSt9nothrow_t", "_ZnamRKSt9nothrow_t",
    "_ZnwmSt11align_val_t", "_ZnamSt11align_val_t",
    "_ZnwmSt11align_val_tRKSt9nothrow_t", "_ZnamSt11align_val_tRKSt9nothrow_t",
};

static const char *const delete_names[] = {
    "_ZdlPv", "_ZdaPv", "_ZdlPvm", "_ZdaPvm", "_ZdlPvRKSt9nothrow_t", "_ZdaPvRKSt9nothrow_t",
    "_ZdlPvSt11align_val_t", "_ZdaPvSt11align_val_t", "_ZdlPvmSt11align_val_t", "_ZdaPvmSt11align_val_t",
    "_ZdlPvSt11align_val_tRKSt9nothrow_t", "_ZdaPvSt11align_val_tRKSt9nothrow_t",
};
#define DELETE_FORMS (sizeof delete_names / sizeof delete_names[0])

/* libstdc++'s operators, for the out-of-memory path; looked up at attach (libstdc++ is loaded by
 * then: the module being attached needs it). */
static void *original_new[NEW_FORMS];

typedef void *(*new_fn)(size_t);
typedef void *(*new_aligned_fn)(size_t, size_t);

static __attribute__((noinline)) void *out_of_memory(uint32_t slot, enum new_form form, size_t size, size_t align) {
    void *original = original_new[form];
    if (!original) {
        return NULL;
    }
    /* Preloaded, what it allocates is attributed through the mark; in-process, tracked below. */
    uint32_t saved = attribution_tls;
    attribution_tls = agent_preloaded ? slot + 1 : 0;
    void *p = align ? ((new_aligned_fn)original)(size, align) : ((new_fn)original)(size);
    attribution_tls = saved;
    if (p && !agent_preloaded) {
        note_alloc(slot, p, size, align, 0);
    }
    return p;
}

static inline __attribute__((always_inline)) void *cxx_new(uint32_t slot, enum new_form form, size_t size, size_t align) {
    void *p = align ? sys_memalign(align, size ? size : 1) : sys_malloc(size ? size : 1);
    if (__builtin_expect(p != NULL, 1)) {
        note_alloc(slot, p, size, align, stacks_capture_if_asked(slot));
        return p;
    }
    return out_of_memory(slot, form, size, align);
}

#define DEFINE_CXX_HOOKS(n) \
    static void *new_##n(size_t s) { return cxx_new(n, NEW_PLAIN, s, 0); } \
    static void *new_array_##n(size_t s) { return cxx_new(n, NEW_ARRAY, s, 0); } \
    static void *new_nothrow_##n(size_t s, const void *t) { (void)t; return cxx_new(n, NEW_NOTHROW, s, 0); } \
    static void *new_array_nothrow_##n(size_t s, const void *t) { (void)t; return cxx_new(n, NEW_ARRAY_NOTHROW, s, 0); } \
    static void *new_aligned_##n(size_t s, size_t a) { return cxx_new(n, NEW_ALIGNED, s, a); } \
    static void *new_array_aligned_##n(size_t s, size_t a) { return cxx_new(n, NEW_ARRAY_ALIGNED, s, a); } \
    static void *new_aligned_nothrow_##n(size_t s, size_t a, const void *t) { (void)t; return cxx_new(n, NEW_ALIGNED_NOTHROW, s, a); } \
    static void *new_array_aligned_nothrow_##n(size_t s, size_t a, const void *t) { (void)t; return cxx_new(n, NEW_ARRAY_ALIGNED_NOTHROW, s, a); } \
    static void delete_##n(void *p) { tracked_free(n, p); }
SLOT_LIST(DEFINE_CXX_HOOKS)

#define NEW_ROW(n) {(void *)new_##n, (void *)new_array_##n, (void *)new_nothrow_##n, (void *)new_array_nothrow_##n, \
                    (void *)new_aligned_##n, (void *)new_array_aligned_##n, (void *)new_aligned_nothrow_##n, \
                    (void *)new_array_aligned_nothrow_##n},
#define DELETE_ROW(n) (void *)delete_##n,
static void *const new_hooks[SLOTS][NEW_FORMS] = {SLOT_LIST(NEW_ROW)};
/* Every delete form is a free: sized and aligned deletes free as the plain one does in libstdc++. */
static void *const delete_hooks[SLOTS] = {SLOT_LIST(DELETE_ROW)};

void *hooks_cxx_lookup(uint32_t slot, const char *name) {
    if (name[0] != '_' || name[1] != 'Z') {
        return NULL;
    }
    for (int i = 0; i < NEW_FORMS; i++) {
        if (strcmp(new_names[i], name) == 0) {
            if (!original_new[i]) {
                original_new[i] = dlsym(RTLD_DEFAULT, name);
            }
            return new_hooks[slot][i];
        }
    }
    for (size_t i = 0; i < DELETE_FORMS; i++) {
        if (strcmp(delete_names[i], name) == 0) {
            return delete_hooks[slot];
        }
    }
    return NULL;
}
