/* The internal imports of relib 0.7 modules (RELIB-PROTOCOL.md section 4), served in C: they run on
 * any thread, inside the module's global allocator, so they may not call into Java, take the agent's
 * hook locks, or allocate through malloc (the module's allocator may be the caller). Each relib
 * module has its own live set: an open-addressing table of (ptr, size, align) in mmap'd memory,
 * behind that module's own mutex, which is all relib_host's module_allocs.rs keeps. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "agent_internal.h"

#define RELIB_OP_ALLOC 0u
#define RELIB_OP_DEALLOC 1u
#define MIN_CAPACITY 1024u

/* relib's AllocatorOp: tag u32, pad, then Allocation at 8. */
struct relib_op {
    uint32_t tag;
    uint32_t pad;
    relib_agent_relib_allocation_t allocation;
};

struct relib_live_set {
    uint64_t id; /* 0: free entry; written under registry_lock, read without */
    pthread_mutex_t lock;
    relib_agent_relib_allocation_t *slots; /* ptr 0 marks an empty slot */
    uint64_t capacity;                     /* a power of two */
    relib_agent_relib_stats_t stats;
    char name[96];
};

static struct relib_live_set sets[SLOTS];
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static void write_all(const char *text, size_t length) {
    while (length > 0) {
        ssize_t n = write(STDERR_FILENO, text, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        text += n;
        length -= (size_t)n;
    }
}

static void write_text(const char *text) {
    write_all(text, strlen(text));
}

static void write_u64(uint64_t value) {
    char digits[24];
    int at = (int)sizeof digits;
    do {
        digits[--at] = (char)('0' + value % 10);
        value /= 10;
    } while (value && at > 0);
    write_all(digits + at, sizeof digits - (size_t)at);
}

static struct relib_live_set *set_of(uint64_t id) {
    if (id == 0) return NULL;
    for (int i = 0; i < SLOTS; i++) {
        if (__atomic_load_n(&sets[i].id, __ATOMIC_ACQUIRE) == id) return &sets[i];
    }
    return NULL;
}

/* relib_host prints this and aborts; the shell's crash report reads the lines back from stderr. */
static __attribute__((noreturn)) void unrecoverable_named(uint64_t id, const char *name, const uint8_t *msg,
                                                          size_t len) {
    write_text("[module id: ");
    write_u64(id);
    write_text("] something unrecoverable happened: ");
    write_all((const char *)msg, len);
    write_text("\n[relib shell] relib module ");
    write_text(name && name[0] ? name : "(unknown to the agent)");
    write_text(" (relib id ");
    write_u64(id);
    write_text(") called unrecoverable; relib aborts the process here\naborting\n");
    abort();
}

static __attribute__((noreturn)) void unknown_id(uint64_t id) {
    static const char message[] = "the host knows no relib module with this id";
    unrecoverable_named(id, NULL, (const uint8_t *)message, sizeof message - 1);
}

static uint64_t hash_ptr(uint64_t ptr, uint64_t mask) {
    return ((ptr >> 4) * 0x9E3779B97F4A7C15ull >> 17) & mask;
}

static relib_agent_relib_allocation_t *new_slots(uint64_t capacity) {
    void *memory = mmap(NULL, capacity * sizeof(relib_agent_relib_allocation_t), PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return memory == MAP_FAILED ? NULL : memory;
}

static void free_slots(relib_agent_relib_allocation_t *slots, uint64_t capacity) {
    if (slots) munmap(slots, capacity * sizeof(relib_agent_relib_allocation_t));
}

static relib_agent_relib_allocation_t *find(struct relib_live_set *set, uint64_t ptr) {
    uint64_t mask = set->capacity - 1;
    for (uint64_t i = hash_ptr(ptr, mask);; i = (i + 1) & mask) {
        relib_agent_relib_allocation_t *slot = &set->slots[i];
        if (slot->ptr == ptr || slot->ptr == 0) return slot;
    }
}

static bool grow(struct relib_live_set *set) {
    uint64_t capacity = set->capacity * 2;
    relib_agent_relib_allocation_t *old = set->slots, *slots = new_slots(capacity);
    if (!slots) return false;
    uint64_t old_capacity = set->capacity;
    set->slots = slots;
    set->capacity = capacity;
    for (uint64_t i = 0; i < old_capacity; i++) {
        if (old[i].ptr) *find(set, old[i].ptr) = old[i];
    }
    free_slots(old, old_capacity);
    return true;
}

/* Insert or overwrite, as relib_host's HashMap::insert does. */
static void insert(struct relib_live_set *set, const relib_agent_relib_allocation_t *a) {
    if ((set->stats.live_blocks + 1) * 4 > set->capacity * 3 && !grow(set)) {
        static const char message[] = "the agent could not grow a relib live set (mmap failed)";
        unrecoverable_named(set->id, set->name, (const uint8_t *)message, sizeof message - 1);
    }
    relib_agent_relib_allocation_t *slot = find(set, a->ptr);
    if (slot->ptr) {
        set->stats.live_bytes -= slot->size;
    } else {
        set->stats.live_blocks++;
    }
    *slot = *a;
    set->stats.live_bytes += a->size;
    set->stats.allocs++;
    if (set->stats.live_bytes > set->stats.peak_bytes) set->stats.peak_bytes = set->stats.live_bytes;
}

/* Linear probing with backward-shift deletion: no tombstones, so lookups stay short. */
static void remove_ptr(struct relib_live_set *set, uint64_t ptr) {
    uint64_t mask = set->capacity - 1;
    relib_agent_relib_allocation_t *slot = find(set, ptr);
    if (!slot->ptr) return; /* relib_host ignores a missing entry */
    set->stats.live_blocks--;
    set->stats.live_bytes -= slot->size;
    set->stats.frees++;
    uint64_t hole = (uint64_t)(slot - set->slots);
    for (uint64_t i = (hole + 1) & mask; set->slots[i].ptr; i = (i + 1) & mask) {
        uint64_t home = hash_ptr(set->slots[i].ptr, mask);
        bool movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
        if (movable) {
            set->slots[hole] = set->slots[i];
            hole = i;
        }
    }
    set->slots[hole].ptr = 0;
}

static void relib_on_alloc(uint64_t id, uint8_t *ptr, size_t size, size_t align) {
    struct relib_live_set *set = set_of(id);
    if (!set) unknown_id(id);
    relib_agent_relib_allocation_t a = {(uint64_t)(uintptr_t)ptr, size, align};
    pthread_mutex_lock(&set->lock);
    insert(set, &a);
    set->stats.init_allocs++;
    pthread_mutex_unlock(&set->lock);
}

static void relib_on_cached_allocs(uint64_t id, const struct relib_op *ops, size_t n) {
    struct relib_live_set *set = set_of(id);
    if (!set) unknown_id(id);
    pthread_mutex_lock(&set->lock);
    set->stats.flushes++;
    for (size_t i = 0; i < n; i++) {
        if (ops[i].tag == RELIB_OP_ALLOC) {
            insert(set, &ops[i].allocation);
        } else if (ops[i].tag == RELIB_OP_DEALLOC) {
            remove_ptr(set, ops[i].allocation.ptr);
        }
    }
    pthread_mutex_unlock(&set->lock);
}

static __attribute__((noreturn)) void relib_unrecoverable(uint64_t id, const uint8_t *msg, size_t len) {
    struct relib_live_set *set = set_of(id);
    unrecoverable_named(id, set ? set->name : NULL, msg, len);
}

static bool relib_is_ptr_allocated(uint64_t id, uint8_t *ptr) {
    struct relib_live_set *set = set_of(id);
    if (!set) unknown_id(id);
    pthread_mutex_lock(&set->lock);
    bool live = find(set, (uint64_t)(uintptr_t)ptr)->ptr != 0;
    set->stats.validations++;
    pthread_mutex_unlock(&set->lock);
    return live;
}

void relib_agent_relib_imports(uint64_t out[4]) {
    if (!out) return;
    out[0] = (uint64_t)(uintptr_t)relib_on_alloc;
    out[1] = (uint64_t)(uintptr_t)relib_on_cached_allocs;
    out[2] = (uint64_t)(uintptr_t)relib_unrecoverable;
    out[3] = (uint64_t)(uintptr_t)relib_is_ptr_allocated;
}

static uint64_t next_relib_id = 1;

int64_t relib_agent_relib_register(const char *name) {
    pthread_mutex_lock(&registry_lock);
    for (int i = 0; i < SLOTS; i++) {
        struct relib_live_set *set = &sets[i];
        if (__atomic_load_n(&set->id, __ATOMIC_ACQUIRE) != 0) continue;
        relib_agent_relib_allocation_t *slots = new_slots(MIN_CAPACITY);
        if (!slots) break;
        pthread_mutex_init(&set->lock, NULL);
        set->slots = slots;
        set->capacity = MIN_CAPACITY;
        memset(&set->stats, 0, sizeof set->stats);
        set->name[0] = 0;
        if (name) {
            strncpy(set->name, name, sizeof set->name - 1);
            set->name[sizeof set->name - 1] = 0;
        }
        uint64_t relib_id = next_relib_id++;
        __atomic_store_n(&set->id, relib_id, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&registry_lock);
        return (int64_t)relib_id;
    }
    pthread_mutex_unlock(&registry_lock);
    return -RELIB_AGENT_E_FULL;
}

int relib_agent_relib_stats(uint64_t relib_id, relib_agent_relib_stats_t *out) {
    if (!out) return -RELIB_AGENT_E_INVALID;
    struct relib_live_set *set = set_of(relib_id);
    if (!set) return -RELIB_AGENT_E_UNKNOWN;
    pthread_mutex_lock(&set->lock);
    *out = set->stats;
    pthread_mutex_unlock(&set->lock);
    return 0;
}

int64_t relib_agent_relib_allocations(uint64_t relib_id, relib_agent_relib_allocation_t *buf, uint64_t cap) {
    struct relib_live_set *set = set_of(relib_id);
    if (!set) return -RELIB_AGENT_E_UNKNOWN;
    if (!buf && cap) return -RELIB_AGENT_E_INVALID;
    pthread_mutex_lock(&set->lock);
    uint64_t count = 0;
    for (uint64_t i = 0; i < set->capacity; i++) {
        if (!set->slots[i].ptr) continue;
        if (count < cap) buf[count] = set->slots[i];
        count++;
    }
    pthread_mutex_unlock(&set->lock);
    return (int64_t)count;
}

int relib_agent_relib_forget(uint64_t relib_id) {
    pthread_mutex_lock(&registry_lock);
    struct relib_live_set *set = set_of(relib_id);
    if (!set) {
        pthread_mutex_unlock(&registry_lock);
        return -RELIB_AGENT_E_UNKNOWN;
    }
    pthread_mutex_lock(&set->lock);
    __atomic_store_n(&set->id, 0, __ATOMIC_RELEASE);
    free_slots(set->slots, set->capacity);
    set->slots = NULL;
    set->capacity = 0;
    pthread_mutex_unlock(&set->lock);
    pthread_mutex_unlock(&registry_lock);
    return 0;
}

/* ---- import stubs: what `import stub Imports::f(...) -> R = VALUE` binds a user import slot to ----
 * relib's import convention is MaybeUninit<Ret> f(bool *success, args...): with the flag in the
 * first argument register and an integer or pointer result in RAX, one function per stub reads its
 * answer from a table and ignores the other arguments. A failing stub writes success = 0, which the
 * module takes as "host panicked while executing import" and aborts on, as relib does. */
#define STUBS 256

struct relib_stub {
    uint64_t value;
    uint8_t success;
    uint8_t in_use;
    char message[128];
};

static struct relib_stub stubs[STUBS];
static pthread_mutex_t stubs_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t answer(int n, uint8_t *success) {
    struct relib_stub *stub = &stubs[n];
    if (!stub->success) {
        write_text("[relib shell] import stub failed in the host: ");
        write_text(stub->message);
        write_text("\n");
    }
    if (success) *success = stub->success;
    return stub->value;
}

#define STUB_FN(n) static uint64_t relib_stub_##n(uint8_t *success) { return answer(n, success); }
#define STUB_ROW(n) STUB_FN(n##0) STUB_FN(n##1) STUB_FN(n##2) STUB_FN(n##3) STUB_FN(n##4) STUB_FN(n##5) \
    STUB_FN(n##6) STUB_FN(n##7) STUB_FN(n##8) STUB_FN(n##9)
STUB_FN(0) STUB_FN(1) STUB_FN(2) STUB_FN(3) STUB_FN(4) STUB_FN(5) STUB_FN(6) STUB_FN(7) STUB_FN(8) STUB_FN(9)
STUB_ROW(1) STUB_ROW(2) STUB_ROW(3) STUB_ROW(4) STUB_ROW(5) STUB_ROW(6) STUB_ROW(7) STUB_ROW(8) STUB_ROW(9)
STUB_ROW(10) STUB_ROW(11) STUB_ROW(12) STUB_ROW(13) STUB_ROW(14) STUB_ROW(15) STUB_ROW(16) STUB_ROW(17)
STUB_ROW(18) STUB_ROW(19) STUB_ROW(20) STUB_ROW(21) STUB_ROW(22) STUB_ROW(23) STUB_ROW(24)
STUB_FN(250) STUB_FN(251) STUB_FN(252) STUB_FN(253) STUB_FN(254) STUB_FN(255)

#define STUB_REF(n) relib_stub_##n,
#define STUB_REF_ROW(n) STUB_REF(n##0) STUB_REF(n##1) STUB_REF(n##2) STUB_REF(n##3) STUB_REF(n##4) \
    STUB_REF(n##5) STUB_REF(n##6) STUB_REF(n##7) STUB_REF(n##8) STUB_REF(n##9)
static uint64_t (*const stub_functions[STUBS])(uint8_t *) = {
    STUB_REF(0) STUB_REF(1) STUB_REF(2) STUB_REF(3) STUB_REF(4) STUB_REF(5) STUB_REF(6) STUB_REF(7) STUB_REF(8)
    STUB_REF(9) STUB_REF_ROW(1) STUB_REF_ROW(2) STUB_REF_ROW(3) STUB_REF_ROW(4) STUB_REF_ROW(5) STUB_REF_ROW(6)
    STUB_REF_ROW(7) STUB_REF_ROW(8) STUB_REF_ROW(9) STUB_REF_ROW(10) STUB_REF_ROW(11) STUB_REF_ROW(12)
    STUB_REF_ROW(13) STUB_REF_ROW(14) STUB_REF_ROW(15) STUB_REF_ROW(16) STUB_REF_ROW(17) STUB_REF_ROW(18)
    STUB_REF_ROW(19) STUB_REF_ROW(20) STUB_REF_ROW(21) STUB_REF_ROW(22) STUB_REF_ROW(23) STUB_REF_ROW(24)
    STUB_REF(250) STUB_REF(251) STUB_REF(252) STUB_REF(253) STUB_REF(254) STUB_REF(255)
};

/* A boxed import's post slot: the stub's value lives as long as the binding, so nothing to free. */
static void relib_stub_post(void *value) {
    (void)value;
}

uint64_t relib_agent_relib_stub_bind(uint64_t value, uint8_t success, const char *message) {
    pthread_mutex_lock(&stubs_lock);
    for (int i = 0; i < STUBS; i++) {
        if (stubs[i].in_use) continue;
        stubs[i].value = value;
        stubs[i].success = success ? 1 : 0;
        stubs[i].message[0] = 0;
        if (message) {
            strncpy(stubs[i].message, message, sizeof stubs[i].message - 1);
            stubs[i].message[sizeof stubs[i].message - 1] = 0;
        }
        __atomic_store_n(&stubs[i].in_use, 1, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&stubs_lock);
        return (uint64_t)(uintptr_t)stub_functions[i];
    }
    pthread_mutex_unlock(&stubs_lock);
    return 0;
}

void relib_agent_relib_stub_release(uint64_t function) {
    pthread_mutex_lock(&stubs_lock);
    for (int i = 0; i < STUBS; i++) {
        if ((uint64_t)(uintptr_t)stub_functions[i] == function) stubs[i].in_use = 0;
    }
    pthread_mutex_unlock(&stubs_lock);
}

uint64_t relib_agent_relib_stub_post(void) {
    return (uint64_t)(uintptr_t)relib_stub_post;
}
