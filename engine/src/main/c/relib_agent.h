/* relib native agent: the one public header. Everything not declared here has hidden visibility.
 * Constants marked "must match" are mirrored in Java (dev.relib.engine.agent).
 *
 * The agent tracks one loaded module by pointing the module's GOT slots for the allocator, thread,
 * thread-local and mmap functions at per-module hooks. Modules are named by the caller's 32-bit id.
 * Unload order (see NATIVE-NOTES): no module thread running -> run_tls_destructors ->
 * run_key_destructors_and_delete -> disable_tls_destructors -> free_blocks -> unmap_mappings ->
 * close_fds -> detach -> dlclose -> forget. */
#ifndef RELIB_AGENT_H
#define RELIB_AGENT_H

#include <stdint.h>

#define RELIB_AGENT_EXPORT __attribute__((visibility("default")))

/* must match: dev.relib.engine.agent.AgentLibrary.EXPECTED_ABI */
#define RELIB_AGENT_ABI 9

/* Modules attached at once; a slot is reused after relib_agent_forget.
 * must match: dev.relib.engine.agent.AgentCodes.MAX_MODULES */
#define RELIB_AGENT_MAX_MODULES 64

/* Error codes, returned negated. must match: dev.relib.engine.agent.AgentCodes */
#define RELIB_AGENT_E_INVALID 1     /* null handle or buffer */
#define RELIB_AGENT_E_UNKNOWN 2     /* no module with this id */
#define RELIB_AGENT_E_ATTACHED 3    /* already attached (attach), or still attached (forget) */
#define RELIB_AGENT_E_FULL 4        /* RELIB_AGENT_MAX_MODULES modules already known */
#define RELIB_AGENT_E_DLINFO 5      /* dlinfo(RTLD_DI_LINKMAP) failed: not a dlopen handle */
#define RELIB_AGENT_E_DYNAMIC 6     /* the module's dynamic section lacks DT_SYMTAB/DT_STRTAB */
#define RELIB_AGENT_E_MPROTECT 7    /* a GOT page could not be made writable */
#define RELIB_AGENT_E_DETACHED 8    /* detach of a module that is not attached */
#define RELIB_AGENT_E_GONE 9        /* detach: the module is no longer loaded (it dlclosed itself);
                                     * nothing was written, and the module now counts as detached */

/* Flags of relib_agent_attach_flags. must match: dev.relib.engine.agent.AgentCodes.CAPTURE_STACKS */
#define RELIB_AGENT_CAPTURE_STACKS 1u

/* Return addresses kept per allocation stack, innermost first.
 * must match: dev.relib.engine.agent.AgentCodes.STACK_DEPTH */
#define RELIB_AGENT_STACK_DEPTH 24

/* must match: dev.relib.engine.agent.AgentCodes.THREAD_RUNNING / THREAD_EXITED */
#define RELIB_AGENT_THREAD_RUNNING 1
#define RELIB_AGENT_THREAD_EXITED 2 /* the start routine returned and its key destructors ran */

/* Counters of one module. live_* and total_* are exact once the threads that allocate are done
 * (each thread counts its own). peak_bytes is exact (peak_bound 0) while at most one thread
 * allocated or freed the module's blocks since attach; when several did, it is the high-water mark
 * of a total each thread publishes in 16 KiB steps (so the fast path shares no cache line), within
 * peak_bound bytes of the true peak. 128 bytes; must match: dev.relib.engine.agent.Agent#stats */
typedef struct relib_agent_stats {
    uint64_t live_blocks;
    uint64_t live_bytes;
    uint64_t total_allocs;       /* malloc/calloc/posix_memalign/aligned_alloc/memalign, realloc */
    uint64_t total_frees;        /* free, realloc, and relib_agent_free_blocks */
    uint64_t peak_bytes;
    uint64_t passthrough_frees;  /* frees/reallocs by the module of pointers the table never saw */
    uint64_t threads_started;
    uint64_t threads_running;
    uint64_t tls_dtors_pending;  /* registered by the module and not yet run or disabled */
    uint64_t keys_live;          /* pthread keys the module created and did not delete */
    uint64_t mappings_live;
    uint64_t mapping_bytes;
    uint64_t peak_bound;         /* 0: peak_bytes is exact; else the most it can be off by */
    uint64_t preloaded;          /* 1: the agent is the process's allocator (LD_PRELOAD), so every
                                  * free in the process retires a tracked block; 0: only the module's
                                  * own frees are seen (its GOT), see relib_agent_free_blocks */
    uint64_t streams_open;       /* FILE and DIR streams the module opened and did not close */
    uint64_t fds_open;           /* file descriptors the module opened and did not close (relib_agent_fds) */
} relib_agent_stats_t;

/* 40 bytes; must match: dev.relib.engine.agent.Agent#blocks */
typedef struct relib_agent_block {
    uint64_t address;
    uint64_t size;      /* as requested */
    uint64_t align;     /* as requested from posix_memalign/aligned_alloc/memalign; 0 for malloc/calloc/realloc */
    uint64_t sequence;  /* unique; increasing within a thread; across threads ordered to within 1024 */
    uint32_t stack_id;  /* see relib_agent_stacks; 0 when the module was attached without stacks */
    uint32_t reserved;
} relib_agent_block_t;

/* One recorded allocation stack: the return addresses of the calls that led to the allocation,
 * innermost first, starting with the module code that called the allocator (the agent's own frames
 * are left out). A block keeps the stack it was first allocated with: realloc moves it along
 * unchanged, so a growing buffer stays attributed to where it was made, and realloc costs no unwind.
 * 200 bytes; must match: dev.relib.engine.agent.Agent#stacks */
typedef struct relib_agent_stack {
    uint32_t id;
    uint32_t depth;     /* frames used, 1..RELIB_AGENT_STACK_DEPTH */
    uint64_t frames[RELIB_AGENT_STACK_DEPTH];
} relib_agent_stack_t;

/* 88 bytes; must match: dev.relib.engine.agent.Agent#threads */
typedef struct relib_agent_thread {
    int64_t tid;             /* 0 until the thread has started running */
    uint64_t pthread;
    uint64_t start_routine;
    uint64_t started_ns;     /* CLOCK_REALTIME at pthread_create */
    uint64_t exited_ns;      /* CLOCK_REALTIME after its key destructors ran; 0 while running */
    uint32_t state;          /* RELIB_AGENT_THREAD_* */
    uint32_t reserved;
    char name[16];           /* NUL-terminated; read from the thread while it runs, kept after exit */
    uint64_t start_arg;      /* the argument passed to the start routine */
    /* When start_arg pointed at readable memory at pthread_create that holds, within its first 8
     * words, a pointer to what looks like a Rust vtable in the start routine's object (as std's
     * thread main holds the user's Box<dyn FnOnce()>): that vtable's drop_in_place and call_once,
     * whose symbols name the closure. 0 otherwise; meaningful only for std's thread_start. */
    uint64_t boxed_fn_drop;
    uint64_t boxed_fn_call;
} relib_agent_thread_t;

/* 32 bytes; must match: dev.relib.engine.agent.Agent#mappings */
typedef struct relib_agent_mapping {
    uint64_t address;
    uint64_t length;
    uint32_t prot;
    uint32_t flags;   /* mmap flags: MAP_ANONYMOUS (0x20) tells anonymous from file-backed */
    uint64_t reserved;
} relib_agent_mapping_t;

/* A file descriptor the module opened (through its GOT: open, socket, pipe, dup, eventfd, ..., or the
 * fd of a FILE or DIR stream it opened) and has not closed. 256 bytes; must match:
 * dev.relib.engine.agent.Agent#fds */
typedef struct relib_agent_fd {
    int32_t fd;
    uint32_t stack_id;  /* the stack of the call that opened it (see relib_agent_stacks); 0 without stacks */
    uint64_t dev;       /* what it referred to when opened, and still does */
    uint64_t ino;
    uint64_t reserved;
    char call[16];      /* the function the module called, NUL-terminated: "open", "socket", "fopen", ... */
    char target[208];   /* readlink of /proc/self/fd/N: a path, socket:[INODE], pipe:[INODE], anon_inode:[eventfd] */
} relib_agent_fd_t;

/* The agent's ABI version; the Java side refuses an agent of another version. */
RELIB_AGENT_EXPORT uint32_t relib_agent_abi(void);

/* Patches the GOT of the dlopen()ed object behind dl_handle so its calls go through the agent.
 * Call before the first call into the module. 0 or -RELIB_AGENT_E_*. */
RELIB_AGENT_EXPORT int relib_agent_attach(void *dl_handle, uint32_t module_id);

/* relib_agent_attach with flags: RELIB_AGENT_CAPTURE_STACKS records a call stack per allocation
 * (an unwind per malloc: tens of times slower allocations, for this module only; modules attached
 * without it pay nothing). Unknown flags: -RELIB_AGENT_E_INVALID. */
RELIB_AGENT_EXPORT int relib_agent_attach_flags(void *dl_handle, uint32_t module_id, uint32_t flags);

/* Restores the module's GOT. Its records stay readable until relib_agent_forget. */
RELIB_AGENT_EXPORT int relib_agent_detach(uint32_t module_id);

RELIB_AGENT_EXPORT int relib_agent_stats(uint32_t module_id, relib_agent_stats_t *out);

/* Bulk snapshots: fill up to cap records and return the total count (retry with a larger buffer
 * when it exceeds cap), or -RELIB_AGENT_E_*. */
RELIB_AGENT_EXPORT int64_t relib_agent_blocks(uint32_t module_id, relib_agent_block_t *buf, uint64_t cap);
RELIB_AGENT_EXPORT int64_t relib_agent_threads(uint32_t module_id, relib_agent_thread_t *buf, uint64_t cap);
RELIB_AGENT_EXPORT int64_t relib_agent_mappings(uint32_t module_id, relib_agent_mapping_t *buf, uint64_t cap);
/* The module's open fds, in number order. A record whose fd no longer refers to the file it was
 * opened on (closed by code whose closes the agent does not see, the number reused) is dropped. */
RELIB_AGENT_EXPORT int64_t relib_agent_fds(uint32_t module_id, relib_agent_fd_t *buf, uint64_t cap);
/* Closes the module's open fds (those relib_agent_fds lists, but for the fds of its FILE and DIR
 * streams, which relib_agent_free_blocks closes with their streams) when preloaded, where every close
 * in the process is seen; returns how many. In-process (preloaded 0 in the stats) it closes nothing and
 * returns 0: an fd closed by other code and reopened by someone else cannot be told from the module's. */
RELIB_AGENT_EXPORT int relib_agent_close_fds(uint32_t module_id);
/* Bytes the module wrote to stderr (fd 2) through write/writev since the agent started, or
 * -RELIB_AGENT_E_*. The agent keeps the last 16 KiB of them, per module. */
RELIB_AGENT_EXPORT int64_t relib_agent_stderr_written(uint32_t module_id);
/* Copies the kept stderr bytes written from offset `from` on (a value of relib_agent_stderr_written)
 * into buf, at most cap of them (the newest when more were kept); returns how many, or -RELIB_AGENT_E_*. */
RELIB_AGENT_EXPORT int64_t relib_agent_stderr_copy(uint32_t module_id, uint64_t from, char *buf, uint64_t cap);
/* Every distinct stack recorded for the module, in id order. Identical stacks share one id. The
 * process keeps up to 262,144 distinct stacks over its lifetime (they are never dropped, so ids in
 * any earlier snapshot stay valid); beyond that, new blocks get stack id 0. */
RELIB_AGENT_EXPORT int64_t relib_agent_stacks(uint32_t module_id, relib_agent_stack_t *buf, uint64_t cap);

/* Diagnostics of stack capture: walks the calling thread's stack from here (the agent's own frames
 * left out) with the agent's cached unwinder and with libgcc's _Unwind_Backtrace, into cached and
 * libgcc (cap frames each; *depth gets the cached walk's depth). Returns 0 when both walks agree
 * frame for frame, else 1 + the index of the first difference, or -RELIB_AGENT_E_INVALID. */
RELIB_AGENT_EXPORT int relib_agent_unwind_compare(uint64_t *cached, uint64_t *libgcc, uint32_t cap, uint32_t *depth);

/* How many captures fell back on _Unwind_Backtrace (a frame the cached unwinder does not model). */
RELIB_AGENT_EXPORT uint64_t relib_agent_unwind_fallbacks(void);

/* Leak kinds, valgrind memcheck's. must match: dev.relib.engine.model.LeakKind codes */
#define RELIB_AGENT_LEAK_DEFINITE 1  /* no pointer to it from the roots or any reachable block */
#define RELIB_AGENT_LEAK_INDIRECT 2  /* pointed at only from definitely (or indirectly) lost blocks */
#define RELIB_AGENT_LEAK_POSSIBLE 3  /* reachable, but only through pointers into its interior */
#define RELIB_AGENT_LEAK_REACHABLE 4 /* a pointer to its start from the roots or a reachable block */

/* Classifies blocks (a relib_agent_blocks snapshot of the module, or any subset) as valgrind's leak
 * check does, with the module's memory as the roots: its writable PT_LOAD segments and its TLS
 * blocks of the calling thread and of its own threads still running; and libstdc++'s and libgcc_s's
 * writable data past RELRO (a block they keep for the process is still reachable). Writes RELIB_AGENT_LEAK_* for
 * blocks[i] into kinds[i]. Reads only memory /proc/self/maps lists as readable, allocates nothing
 * from the heap; a slow path (reads the maps and every live byte). 0 or -RELIB_AGENT_E_*. */
RELIB_AGENT_EXPORT int relib_agent_leak_scan(void *dl_handle, uint32_t module_id, const relib_agent_block_t *blocks,
                                             uint64_t count, uint8_t *kinds);

/* Runs, on the calling thread, the thread-local destructors the module registered from it, newest
 * first, until none remain (a destructor may register another). Returns how many ran. */
RELIB_AGENT_EXPORT int relib_agent_run_tls_destructors(uint32_t module_id);

/* For each pthread key the module created: runs its destructor on the calling thread's value (as
 * glibc would at thread exit, up to 4 rounds), then pthread_key_delete. Returns destructors run;
 * *keys_deleted (may be null) gets the number of keys deleted. */
RELIB_AGENT_EXPORT int relib_agent_run_key_destructors_and_delete(uint32_t module_id, uint32_t *keys_deleted);

/* Disables the module's thread-local destructors still registered on other threads (they would
 * run module code after unload). Returns how many were disabled. */
RELIB_AGENT_EXPORT int relib_agent_disable_tls_destructors(uint32_t module_id);

/* Frees the module's live blocks with glibc free, after closing (fclose/closedir) the FILE and DIR
 * streams it left open whose blocks are still its own, when preloaded. Blocks libstdc++ or libgcc_s
 * still points at from its own data are retired without a free (left to it). Returns the count of
 * blocks freed, those of the closed streams included; *freed_bytes may be null. In-process (preloaded 0 in
 * the stats) a block may have been freed, and its address reused, by code whose frees the agent
 * does not see: the engine does not call this there. */
RELIB_AGENT_EXPORT int relib_agent_free_blocks(uint32_t module_id, uint64_t *freed_bytes);

/* Unmaps the module's live mappings. Returns the count; *unmapped_bytes may be null. */
RELIB_AGENT_EXPORT int relib_agent_unmap_mappings(uint32_t module_id, uint64_t *unmapped_bytes);

/* After dlclose: drops every record of the module (blocks still in the table are forgotten, not
 * freed; keys still live are deleted without running destructors) and frees its slot. */
RELIB_AGENT_EXPORT int relib_agent_forget(uint32_t module_id);

/* ---- relib_imports.c: the internal imports relib 0.7 modules call from inside their allocator ----
 * A relib module built with "unloading" has four import slots (on_alloc, on_cached_allocs,
 * unrecoverable, is_ptr_allocated) that its AllocTracker calls on any thread. The agent serves them
 * in C and keeps, per relib module id, the live set relib_host's module_allocs.rs keeps. Up to
 * RELIB_AGENT_MAX_MODULES relib modules at once; ids are the caller's (relib passes them to init). */

/* relib's Allocation: 24 bytes; must match: dev.relib.engine.agent.Agent#relibAllocations */
typedef struct relib_agent_relib_allocation {
    uint64_t ptr;
    uint64_t size;
    uint64_t align;
} relib_agent_relib_allocation_t;

/* The live set's figures. 64 bytes; must match: dev.relib.engine.agent.Agent#relibStats */
typedef struct relib_agent_relib_stats {
    uint64_t live_blocks;
    uint64_t live_bytes;
    uint64_t allocs;         /* on_alloc calls plus Alloc ops */
    uint64_t frees;          /* Dealloc ops that removed a live entry */
    uint64_t peak_bytes;     /* of the live set as the host saw it (ops arrive in batches) */
    uint64_t init_allocs;    /* on_alloc calls: the tracker's reservations during init */
    uint64_t flushes;        /* on_cached_allocs calls */
    uint64_t validations;    /* is_ptr_allocated calls */
} relib_agent_relib_stats_t;

/* The four internal import functions, in slot order: on_alloc, on_cached_allocs, unrecoverable,
 * is_ptr_allocated. Write them into the module's slots before its init. */
RELIB_AGENT_EXPORT void relib_agent_relib_imports(uint64_t out[4]);

/* Starts an empty live set under a new relib module id, which it returns: process-wide, from 1, never
 * reused (relib_host's next_module_id). name (may be null) is what unrecoverable prints.
 * -RELIB_AGENT_E_FULL when RELIB_AGENT_MAX_MODULES live sets exist. */
RELIB_AGENT_EXPORT int64_t relib_agent_relib_register(const char *name);

RELIB_AGENT_EXPORT int relib_agent_relib_stats(uint64_t relib_id, relib_agent_relib_stats_t *out);

/* The live set (what relib_host hands to the module's exit), up to cap entries; returns the total. */
RELIB_AGENT_EXPORT int64_t relib_agent_relib_allocations(uint64_t relib_id, relib_agent_relib_allocation_t *buf,
                                                        uint64_t cap);

/* Drops the live set; a later call from the module with this id is unrecoverable. */
RELIB_AGENT_EXPORT int relib_agent_relib_forget(uint64_t relib_id);

/* An import-slot function that writes *success (0 or 1) and returns value (an integer, or the
 * address of a boxed value the caller keeps alive); a failing one first prints message. Returns
 * the function's address, or 0 when all 256 stubs are bound. */
RELIB_AGENT_EXPORT uint64_t relib_agent_relib_stub_bind(uint64_t value, uint8_t success, const char *message);

/* Frees the stub behind a function relib_agent_relib_stub_bind returned. */
RELIB_AGENT_EXPORT void relib_agent_relib_stub_release(uint64_t function);

/* A post-slot function that frees nothing (a stub's boxed value belongs to its binding). */
RELIB_AGENT_EXPORT uint64_t relib_agent_relib_stub_post(void);

#endif
