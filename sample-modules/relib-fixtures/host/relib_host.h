/*
 * A small relib 0.7 host in C: relib_host's load and unload sequences (RELIB-PROTOCOL.md §1, §5), its
 * live-allocation store (module_allocs.rs) and the four internal imports (§4). The fixtures' host
 * test (host_test.c) drives it against the fixture modules and, where present, the genuine ones.
 */
#ifndef RELIB_HOST_H
#define RELIB_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t RelibModuleId;

/* Str / RStr / RSlice<u8>: {ptr @0, len @8}. */
typedef struct {
    const uint8_t *ptr;
    size_t len;
} RelibStr;

/* abi_stable RVec<T> / RString: {buffer @0, length @8, capacity @16, vtable @24}. */
typedef struct {
    void *buffer;
    size_t length;
    size_t capacity;
    const void *vtable;
} RelibVec;

typedef struct {
    uint8_t *ptr;
    size_t size;
    size_t align;
} RelibAllocation;

enum { RELIB_OP_ALLOC = 0, RELIB_OP_DEALLOC = 1 };

typedef struct {
    uint32_t tag;
    uint32_t pad;
    RelibAllocation allocation;
} RelibAllocatorOp;

_Static_assert(sizeof(RelibStr) == 16, "Str is 16 bytes");
_Static_assert(sizeof(RelibVec) == 32, "RVec is 32 bytes");
_Static_assert(sizeof(RelibAllocation) == 24, "Allocation is 24 bytes");
_Static_assert(sizeof(RelibAllocatorOp) == 32, "AllocatorOp is 32 bytes");

typedef enum {
    RELIB_OK = 0,
    /* LoadError */
    RELIB_MODULE_ALREADY_LOADED,
    RELIB_LOAD_LIBLOADING,
    RELIB_COULD_NOT_GET_COMPILATION_INFO,
    RELIB_MODULE_COMPILATION_MISMATCH,
    /* UnloadError */
    RELIB_BEFORE_UNLOAD_PANICKED,
    RELIB_THREADS_STILL_RUNNING,
    RELIB_UNLOAD_LIBLOADING,
    RELIB_UNLOADING_FAIL,
} RelibResult;

const char *relib_result_name(RelibResult result);

/* One user import: the slot's symbol (e.g. "__relib__Imports_ref_"), the host function written
 * into it and, for a boxed return, the function written into "__post" + symbol. */
typedef struct {
    const char *symbol;
    void *function;
    void *post;
} RelibImport;

/* The steps of Module::unload, for tests that check the state between them. */
typedef enum {
    RELIB_STEP_BEFORE_UNLOAD = 1,
    RELIB_STEP_THREADS_CHECK,
    RELIB_STEP_LOCK_ALLOCATOR,
    RELIB_STEP_THREAD_LOCAL_DTORS,
    RELIB_STEP_MISC_CLEANUP,
    RELIB_STEP_TAKE_CACHED_ALLOCS,
    RELIB_STEP_EXIT,
    RELIB_STEP_DLCLOSE,
} RelibUnloadStep;

typedef struct RelibModule RelibModule;
typedef void (*RelibStepHook)(RelibModule *module, RelibUnloadStep done, void *context);

struct RelibModule {
    void *handle;
    char path[4096];
    char info[512];           /* the module's compilation-info string */
    RelibModuleId id;
    bool unloading;            /* loaded by a host built with "unloading" */
    bool alloc_tracker_enabled;
    void (*init)(size_t owner_thread, uint64_t module, bool enable_alloc_tracker);
    void (*exit)(const RelibAllocation *allocs, size_t count);
    void (*take_cached_allocs_before_exit)(void);
    void (*lock_module_allocator)(void);
    uint64_t (*spawned_threads_count)(void);
    void (*run_thread_local_dtors)(void);
    void (*misc_cleanup)(void);
    void (*set_dealloc_callback)(const void *callback);
    /* filled by relib_unload: what step 7 handed to exit */
    size_t exit_count;
    size_t exit_bytes;
    bool warned_no_tracker;
};

/*
 * relib_host::load_module_with_options. host_info is the host's own compilation-info string (the
 * module's must equal it byte for byte); unloading says whether the host was built with
 * "unloading" (steps 8a-8d). Imports are written after init, as relib's init_imports does.
 */
RelibResult relib_load(RelibModule *module, const char *path, const char *host_info, bool unloading,
                       bool enable_alloc_tracker, const RelibImport *imports, size_t import_count);

/* Module::unload on Linux; hook (may be NULL) runs after each step that completed. */
RelibResult relib_unload(RelibModule *module, RelibStepHook hook, void *context);

/* Whether some line of /proc/self/maps contains text (relib's is_library_loaded). */
bool relib_maps_contain(const char *text);
/* Whether address lies in some mapping of /proc/self/maps; if so and path is non-NULL, copies the
 * mapping's path there. */
bool relib_address_mapped(uintptr_t address, char *path, size_t path_size);

/* ---- the live-allocation store (the host side of the alloc tracker) ---- */

typedef struct {
    uint64_t on_alloc_calls;
    uint64_t on_cached_allocs_calls;
    uint64_t largest_batch;
    uint64_t is_ptr_allocated_calls;
    size_t live_blocks;
    size_t live_bytes;
} RelibAllocStats;

/* Statistics of module id's live set (zeros if unknown). */
RelibAllocStats relib_alloc_stats(RelibModuleId id);
/* Whether module id's live set holds a block at ptr; copies it to out if so. */
bool relib_live_block(RelibModuleId id, const void *ptr, RelibAllocation *out);
/* Whether module id's live set holds a block of exactly size bytes and alignment align. */
bool relib_live_block_of_size(RelibModuleId id, size_t size, size_t align, RelibAllocation *out);

#endif
