/*
 * relib_host 0.7's load/unload sequence and module_allocs store, in C (see relib_host.h).
 * The internal imports run on any thread, inside the module's allocator: they take one mutex, never
 * call into a module, and allocate only from the C heap.
 */
#define _GNU_SOURCE
#include "relib_host.h"

#include <dlfcn.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *relib_result_name(RelibResult result) {
    switch (result) {
    case RELIB_OK: return "Ok";
    case RELIB_MODULE_ALREADY_LOADED: return "LoadError::ModuleAlreadyLoaded";
    case RELIB_LOAD_LIBLOADING: return "LoadError::Libloading";
    case RELIB_COULD_NOT_GET_COMPILATION_INFO: return "LoadError::CouldNotGetCompilationInfo";
    case RELIB_MODULE_COMPILATION_MISMATCH: return "LoadError::ModuleCompilationMismatch";
    case RELIB_BEFORE_UNLOAD_PANICKED: return "UnloadError::BeforeUnloadPanicked";
    case RELIB_THREADS_STILL_RUNNING: return "UnloadError::ThreadsStillRunning";
    case RELIB_UNLOAD_LIBLOADING: return "UnloadError::Libloading";
    case RELIB_UNLOADING_FAIL: return "UnloadError::UnloadingFail";
    }
    return "?";
}

/* ---- live sets: one open-addressing table of ptr -> (size, align) per module ---- */

#define EMPTY_KEY ((uintptr_t)0)
#define DELETED_KEY ((uintptr_t)1) /* heap pointers are never 1 */

typedef struct {
    uintptr_t ptr;
    size_t size;
    size_t align;
} Slot;

typedef struct {
    RelibModuleId id;
    bool present; /* between relib_load step 8b and unload step 7 */
    Slot *slots;
    size_t capacity; /* a power of two */
    size_t used;     /* live + deleted slots */
    RelibAllocStats stats;
} LiveSet;

#define MAX_MODULES 256
static LiveSet live_sets[MAX_MODULES];
static size_t live_set_count;
static pthread_mutex_t allocs_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_index(uintptr_t ptr, size_t capacity) {
    uint64_t h = (uint64_t)ptr * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (capacity - 1);
}

static void live_set_put(LiveSet *set, uintptr_t ptr, size_t size, size_t align);

static void live_set_grow(LiveSet *set) {
    Slot *old = set->slots;
    size_t old_capacity = set->capacity;
    /* mostly deleted slots: rehash at the same size; otherwise double */
    bool crowded = (set->stats.live_blocks + 1) * 2 > old_capacity;
    set->capacity = old_capacity == 0 ? 1024 : crowded ? old_capacity * 2 : old_capacity;
    set->slots = calloc(set->capacity, sizeof(Slot));
    if (!set->slots) {
        fprintf(stderr, "relib host: out of memory for the live set of module %" PRIu64 "\n", set->id);
        abort();
    }
    set->used = 0;
    set->stats.live_blocks = 0;
    set->stats.live_bytes = 0;
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].ptr != EMPTY_KEY && old[i].ptr != DELETED_KEY) live_set_put(set, old[i].ptr, old[i].size, old[i].align);
    }
    free(old);
}

static Slot *live_set_find(const LiveSet *set, uintptr_t ptr) {
    if (!set->capacity) return NULL;
    for (size_t i = slot_index(ptr, set->capacity);; i = (i + 1) & (set->capacity - 1)) {
        if (set->slots[i].ptr == ptr) return &set->slots[i];
        if (set->slots[i].ptr == EMPTY_KEY) return NULL;
    }
}

/* Alloc inserts or overwrites (module_allocs.rs). */
static void live_set_put(LiveSet *set, uintptr_t ptr, size_t size, size_t align) {
    Slot *found = live_set_find(set, ptr);
    if (found) {
        set->stats.live_bytes += size - found->size;
        found->size = size;
        found->align = align;
        return;
    }
    if ((set->used + 1) * 10 > set->capacity * 7) live_set_grow(set);
    size_t i = slot_index(ptr, set->capacity);
    while (set->slots[i].ptr != EMPTY_KEY && set->slots[i].ptr != DELETED_KEY) i = (i + 1) & (set->capacity - 1);
    if (set->slots[i].ptr == EMPTY_KEY) set->used++;
    set->slots[i] = (Slot){ptr, size, align};
    set->stats.live_blocks++;
    set->stats.live_bytes += size;
}

/* Dealloc removes; a missing entry is ignored. */
static void live_set_remove(LiveSet *set, uintptr_t ptr) {
    Slot *found = live_set_find(set, ptr);
    if (!found) return;
    set->stats.live_blocks--;
    set->stats.live_bytes -= found->size;
    found->ptr = DELETED_KEY;
}

static LiveSet *live_set_of(RelibModuleId id) {
    for (size_t i = 0; i < live_set_count; i++) {
        if (live_sets[i].id == id) return &live_sets[i];
    }
    return NULL;
}

/* ---- the four internal imports ---- */

static _Noreturn void host_unrecoverable(const char *message) {
    fprintf(stderr, "something unrecoverable happened: %s\nbacktrace:\ndisabled backtrace\naborting\n", message);
    abort();
}

static LiveSet *present_live_set(RelibModuleId id, const char *import) {
    LiveSet *set = live_set_of(id);
    if (!set || !set->present) {
        pthread_mutex_unlock(&allocs_lock);
        host_unrecoverable(import);
    }
    return set;
}

static void import_on_alloc(RelibModuleId id, uint8_t *ptr, size_t size, size_t align) {
    pthread_mutex_lock(&allocs_lock);
    LiveSet *set = present_live_set(id, "on_alloc unreachable");
    set->stats.on_alloc_calls++;
    live_set_put(set, (uintptr_t)ptr, size, align);
    pthread_mutex_unlock(&allocs_lock);
}

static void import_on_cached_allocs(RelibModuleId id, const RelibAllocatorOp *ops, size_t count) {
    pthread_mutex_lock(&allocs_lock);
    LiveSet *set = present_live_set(id, "on_cached_allocs unreachable");
    set->stats.on_cached_allocs_calls++;
    if (count > set->stats.largest_batch) set->stats.largest_batch = count;
    for (size_t i = 0; i < count; i++) {
        const RelibAllocation *a = &ops[i].allocation;
        if (ops[i].tag == RELIB_OP_ALLOC) {
            live_set_put(set, (uintptr_t)a->ptr, a->size, a->align);
        } else {
            live_set_remove(set, (uintptr_t)a->ptr);
        }
    }
    pthread_mutex_unlock(&allocs_lock);
}

static _Noreturn void import_unrecoverable(RelibModuleId id, const uint8_t *message, size_t len) {
    fprintf(stderr, "[module id: %" PRIu64 "] something unrecoverable happened: %.*s\n", id, (int)len, (const char *)message);
    fprintf(stderr, "backtrace:\ndisabled backtrace\naborting\n");
    abort();
}

static bool import_is_ptr_allocated(RelibModuleId id, uint8_t *ptr) {
    pthread_mutex_lock(&allocs_lock);
    LiveSet *set = present_live_set(id, "is_ptr_allocated unreachable");
    set->stats.is_ptr_allocated_calls++;
    bool found = live_set_find(set, (uintptr_t)ptr) != NULL;
    pthread_mutex_unlock(&allocs_lock);
    return found;
}

RelibAllocStats relib_alloc_stats(RelibModuleId id) {
    pthread_mutex_lock(&allocs_lock);
    LiveSet *set = live_set_of(id);
    RelibAllocStats stats = set ? set->stats : (RelibAllocStats){0};
    pthread_mutex_unlock(&allocs_lock);
    return stats;
}

bool relib_live_block(RelibModuleId id, const void *ptr, RelibAllocation *out) {
    pthread_mutex_lock(&allocs_lock);
    LiveSet *set = live_set_of(id);
    Slot *slot = set ? live_set_find(set, (uintptr_t)ptr) : NULL;
    if (slot && out) *out = (RelibAllocation){(uint8_t *)slot->ptr, slot->size, slot->align};
    pthread_mutex_unlock(&allocs_lock);
    return slot != NULL;
}

bool relib_live_block_of_size(RelibModuleId id, size_t size, size_t align, RelibAllocation *out) {
    bool found = false;
    pthread_mutex_lock(&allocs_lock);
    LiveSet *set = live_set_of(id);
    for (size_t i = 0; set && i < set->capacity && !found; i++) {
        Slot *s = &set->slots[i];
        if (s->ptr == EMPTY_KEY || s->ptr == DELETED_KEY || s->size != size || s->align != align) continue;
        if (out) *out = (RelibAllocation){(uint8_t *)s->ptr, s->size, s->align};
        found = true;
    }
    pthread_mutex_unlock(&allocs_lock);
    return found;
}

/* ---- /proc/self/maps ---- */

bool relib_maps_contain(const char *text) {
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) {
        perror("relib host: /proc/self/maps");
        abort();
    }
    char line[8192];
    bool found = false;
    while (!found && fgets(line, sizeof line, maps)) found = strstr(line, text) != NULL;
    fclose(maps);
    return found;
}

bool relib_address_mapped(uintptr_t address, char *path, size_t path_size) {
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) return false;
    char line[8192];
    bool found = false;
    while (!found && fgets(line, sizeof line, maps)) {
        uintptr_t start, end;
        int name_at = 0;
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %*s %*s %*s %*s %n", &start, &end, &name_at) < 2) continue;
        if (address < start || address >= end) continue;
        found = true;
        if (path && path_size) {
            snprintf(path, path_size, "%s", name_at ? line + name_at : "");
            path[strcspn(path, "\n")] = '\0';
        }
    }
    fclose(maps);
    return found;
}

/* ---- load ---- */

static pthread_mutex_t library_loading_guard = PTHREAD_MUTEX_INITIALIZER;
static RelibModuleId next_id = 1;

static void *symbol(void *handle, const char *name) {
    void *address = dlsym(handle, name);
    if (!address) {
        /* relib_host panics on a missing internal export or import slot */
        fprintf(stderr, "relib host: missing symbol %s: %s\n", name, dlerror());
        abort();
    }
    return address;
}

static void write_slot(void *handle, const char *name, void *function) {
    void **slot = symbol(handle, name);
    *slot = function;
}

#define INTERNAL_EXPORT(name) "__relib_____Internal___Exports____" name
#define INTERNAL_IMPORT(name) "__relib_____Internal___Imports____" name

RelibResult relib_load(RelibModule *m, const char *path, const char *host_info, bool unloading,
                       bool enable_alloc_tracker, const RelibImport *imports, size_t import_count) {
    memset(m, 0, sizeof *m);
    snprintf(m->path, sizeof m->path, "%s", path);
    m->unloading = unloading;
    m->alloc_tracker_enabled = enable_alloc_tracker;

    pthread_mutex_lock(&library_loading_guard); /* step 1 */
    RelibResult result = RELIB_OK;
    if (relib_maps_contain(path)) { /* step 3 */
        result = RELIB_MODULE_ALREADY_LOADED;
        goto done;
    }
    m->handle = dlopen(path, RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND); /* step 4: flags 9 */
    if (!m->handle) {
        fprintf(stderr, "relib host: dlopen %s: %s\n", path, dlerror());
        result = RELIB_LOAD_LIBLOADING;
        goto done;
    }
    const RelibStr *info = dlsym(m->handle, "__RELIB__CRATE_COMPILATION_INFO__"); /* step 5 */
    if (!info) {
        result = RELIB_COULD_NOT_GET_COMPILATION_INFO;
    } else {
        snprintf(m->info, sizeof m->info, "%.*s", (int)info->len, (const char *)info->ptr);
        if (info->len != strlen(host_info) || memcmp(info->ptr, host_info, info->len) != 0) {
            result = RELIB_MODULE_COMPILATION_MISMATCH; /* step 6 */
        }
    }
    if (result != RELIB_OK) {
        dlclose(m->handle);
        m->handle = NULL;
        goto done;
    }
    m->id = next_id++; /* step 7 */

    if (unloading) { /* step 8 */
        write_slot(m->handle, INTERNAL_IMPORT("on_alloc"), (void *)import_on_alloc);
        write_slot(m->handle, INTERNAL_IMPORT("on_cached_allocs"), (void *)import_on_cached_allocs);
        write_slot(m->handle, INTERNAL_IMPORT("unrecoverable"), (void *)import_unrecoverable);
        write_slot(m->handle, INTERNAL_IMPORT("is_ptr_allocated"), (void *)import_is_ptr_allocated);

        pthread_mutex_lock(&allocs_lock);
        if (live_set_count == MAX_MODULES) {
            fprintf(stderr, "relib host: more than %d modules\n", MAX_MODULES);
            abort();
        }
        live_sets[live_set_count++] = (LiveSet){.id = m->id, .present = true};
        pthread_mutex_unlock(&allocs_lock);

        m->init = symbol(m->handle, INTERNAL_EXPORT("init"));
        m->exit = symbol(m->handle, INTERNAL_EXPORT("exit"));
        m->take_cached_allocs_before_exit = symbol(m->handle, INTERNAL_EXPORT("take_cached_allocs_before_exit"));
        m->lock_module_allocator = symbol(m->handle, INTERNAL_EXPORT("lock_module_allocator"));
        m->spawned_threads_count = symbol(m->handle, INTERNAL_EXPORT("spawned_threads_count"));
        m->run_thread_local_dtors = symbol(m->handle, INTERNAL_EXPORT("run_thread_local_dtors"));
        m->misc_cleanup = symbol(m->handle, INTERNAL_EXPORT("misc_cleanup"));
        m->set_dealloc_callback = symbol(m->handle, INTERNAL_EXPORT("set_dealloc_callback"));
        m->init((size_t)pthread_self(), m->id, enable_alloc_tracker);
    }

    for (size_t i = 0; i < import_count; i++) { /* step 10 */
        write_slot(m->handle, imports[i].symbol, imports[i].function);
        if (imports[i].post) {
            char post[512];
            snprintf(post, sizeof post, "__post%s", imports[i].symbol);
            write_slot(m->handle, post, imports[i].post);
        }
    }
done:
    pthread_mutex_unlock(&library_loading_guard);
    return result;
}

/* ---- unload ---- */

static void step_done(RelibModule *m, RelibUnloadStep step, RelibStepHook hook, void *context) {
    if (hook) hook(m, step, context);
}

RelibResult relib_unload(RelibModule *m, RelibStepHook hook, void *context) {
    /* step 1: before_unload, boxed if it has a post function */
    void *before_unload = dlsym(m->handle, "__relib__before_unload");
    if (before_unload) {
        void (*post)(void *) = (void (*)(void *))dlsym(m->handle, "__post__relib__before_unload");
        uint8_t success = 0xAA;
        if (post) {
            void *boxed = ((void *(*)(uint8_t *))before_unload)(&success);
            if (success == 1) post(boxed);
        } else {
            ((void (*)(uint8_t *))before_unload)(&success);
        }
        if (success != 1) return RELIB_BEFORE_UNLOAD_PANICKED;
    }
    step_done(m, RELIB_STEP_BEFORE_UNLOAD, hook, context);

    if (m->spawned_threads_count() > 0) return RELIB_THREADS_STILL_RUNNING; /* step 2 */
    step_done(m, RELIB_STEP_THREADS_CHECK, hook, context);
    m->lock_module_allocator(); /* step 3 */
    step_done(m, RELIB_STEP_LOCK_ALLOCATOR, hook, context);
    m->run_thread_local_dtors(); /* step 4 */
    step_done(m, RELIB_STEP_THREAD_LOCAL_DTORS, hook, context);
    m->misc_cleanup(); /* step 5 */
    step_done(m, RELIB_STEP_MISC_CLEANUP, hook, context);
    m->take_cached_allocs_before_exit(); /* step 6 */
    step_done(m, RELIB_STEP_TAKE_CACHED_ALLOCS, hook, context);

    /* step 7: take the module's live set out of the store */
    pthread_mutex_lock(&allocs_lock);
    LiveSet *set = live_set_of(m->id);
    RelibAllocation *allocs = calloc(set->stats.live_blocks + 1, sizeof(RelibAllocation));
    size_t count = 0, bytes = 0;
    for (size_t i = 0; i < set->capacity; i++) {
        Slot *s = &set->slots[i];
        if (s->ptr == EMPTY_KEY || s->ptr == DELETED_KEY) continue;
        allocs[count++] = (RelibAllocation){(uint8_t *)s->ptr, s->size, s->align};
        bytes += s->size;
    }
    free(set->slots);
    set->slots = NULL;
    set->capacity = set->used = 0;
    set->present = false;
    pthread_mutex_unlock(&allocs_lock);
    m->exit_count = count;
    m->exit_bytes = bytes;
    if (m->alloc_tracker_enabled && count == 0) {
        m->warned_no_tracker = true;
        fprintf(stderr,
                "[relib] warning: seems like this module doesn't have a registered global alloc tracker\n"
                "module path: %s\n",
                m->path);
    }
    m->exit(allocs, count); /* step 8 */
    free(allocs);
    step_done(m, RELIB_STEP_EXIT, hook, context);

    if (dlclose(m->handle) != 0) return RELIB_UNLOAD_LIBLOADING; /* step 9 */
    m->handle = NULL;
    step_done(m, RELIB_STEP_DLCLOSE, hook, context);
    return relib_maps_contain(m->path) ? RELIB_UNLOADING_FAIL : RELIB_OK; /* step 10 */
}
