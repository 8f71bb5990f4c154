/* pthread_create hook: every thread a module starts runs through a trampoline that records it;
 * std::thread's, which libstdc++ starts with its own pthread_create, through a hook of
 * thread::_M_start_thread.
 * A thread counts as exited only after its key destructors ran (glibc runs thread-local
 * destructors, then key destructors, after the start routine returns, and both can be module
 * code): an agent key's destructor marks it, re-arming itself while any module key still holds a
 * value on the thread. Records are malloc'd from glibc directly (never a hooked call). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "agent_internal.h"

#define NO_SLOT UINT32_MAX

struct thread_record {
    struct thread_record *next;
    uint32_t slot;          /* NO_SLOT once the module was forgotten while the thread ran */
    uint32_t state;
    int exit_rounds;
    int64_t tid;
    pthread_t pthread;
    void *(*start)(void *);
    void *arg;
    void *shown_start; /* what the thread runs, when start is the agent's own (std::thread's) */
    uint64_t boxed_fn_drop, boxed_fn_call; /* see relib_agent_thread_t */
    uint64_t started_ns, exited_ns;
    char name[16];
};

static struct thread_record *records;
static pthread_mutex_t records_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t exit_key;

static void unlink_record(struct thread_record *r) {
    for (struct thread_record **p = &records; *p; p = &(*p)->next) {
        if (*p == r) {
            *p = r->next;
            return;
        }
    }
}

static void thread_exited(void *arg) {
    struct thread_record *r = arg;
    /* Key destructors of keys created after ours run after us in the same round: wait for them. */
    if (++r->exit_rounds < 4 && keys_have_values_on_this_thread()) {
        pthread_setspecific(exit_key, r);
        return;
    }
    char name[16] = {0};
    prctl(PR_GET_NAME, name, 0, 0, 0);
    pthread_mutex_lock(&records_lock);
    memcpy(r->name, name, sizeof name);
    r->exited_ns = now_realtime_ns();
    __atomic_store_n(&r->state, RELIB_AGENT_THREAD_EXITED, __ATOMIC_RELEASE);
    if (r->slot == NO_SLOT) {
        unlink_record(r);
        free(r);
    }
    pthread_mutex_unlock(&records_lock);
}

void threads_init(void) {
    pthread_key_create(&exit_key, thread_exited);
}

static void *trampoline(void *arg) {
    struct thread_record *r = arg;
    __atomic_store_n(&r->tid, (int64_t)syscall(SYS_gettid), __ATOMIC_RELAXED);
    pthread_setspecific(exit_key, r);
    return r->start(r->arg);
}

/* Copies len bytes at from, or fails (returns 0) where they are not readable: the start routine's
 * argument is any value the module chose, not always a pointer. */
static int read_memory(void *to, uintptr_t from, size_t len) {
    struct iovec local = {to, len}, remote = {(void *)from, len};
    return from && (from & 7) == 0 && process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len;
}

/* Rust std's thread main is a struct behind arg that holds the user's closure as a
 * Box<dyn FnOnce()> (data pointer, vtable pointer), at an offset that std's versions move. A word
 * that points into the start routine's own object at a vtable (drop_in_place and call_once in
 * loaded code, a plausible size, a power-of-two alignment) is taken as it; the shell checks the
 * vtable's symbols before naming the closure. std frees the struct when the thread starts, so it
 * is read here, before. Nothing is read where the memory is not readable. */
#define ARG_WORDS 8
static void read_boxed_fn(struct thread_record *r, void *(*start)(void *), void *arg) {
    uintptr_t words[ARG_WORDS], vtable[4];
    struct dl_find_object start_object, found;
    if (_dl_find_object((void *)(uintptr_t)start, &start_object) != 0
        || !read_memory(words, (uintptr_t)arg, sizeof words)) {
        return;
    }
    for (int i = 0; i < ARG_WORDS; i++) {
        if (_dl_find_object((void *)words[i], &found) != 0 || found.dlfo_link_map != start_object.dlfo_link_map
            || !read_memory(vtable, words[i], sizeof vtable)) {
            continue;
        }
        int plausible = vtable[1] < (1u << 24) && vtable[2] && vtable[2] <= 4096 && (vtable[2] & (vtable[2] - 1)) == 0
                        && _dl_find_object((void *)vtable[0], &found) == 0
                        && found.dlfo_link_map == start_object.dlfo_link_map
                        && _dl_find_object((void *)vtable[3], &found) == 0
                        && found.dlfo_link_map == start_object.dlfo_link_map;
        if (plausible) {
            r->boxed_fn_drop = vtable[0];
            r->boxed_fn_call = vtable[3];
            return;
        }
    }
}

static inline __attribute__((always_inline)) int track_pthread_create(uint32_t slot, pthread_t *thread,
        const pthread_attr_t *attr, void *(*start)(void *), void *arg, void *shown_start) {
    struct thread_record *r = calloc(1, sizeof *r);
    if (!r) {
        return pthread_create(thread, attr, start, arg);
    }
    r->slot = slot;
    r->state = RELIB_AGENT_THREAD_RUNNING;
    r->start = start;
    r->arg = arg;
    r->shown_start = shown_start;
    if (!shown_start) {
        read_boxed_fn(r, start, arg);
    }
    r->started_ns = now_realtime_ns();
    pthread_mutex_lock(&records_lock);
    r->next = records;
    records = r;
    pthread_mutex_unlock(&records_lock);
    int result = pthread_create(thread, attr, trampoline, r);
    pthread_mutex_lock(&records_lock);
    if (result != 0) {
        unlink_record(r);
        free(r);
    } else {
        r->pthread = *thread;
    }
    pthread_mutex_unlock(&records_lock);
    return result;
}

/* libstdc++'s std::thread::_State (Itanium C++ ABI): its vtable holds the complete and the deleting
 * destructor, then _M_run, which runs what the std::thread was given. */
struct cxx_thread_state {
    void (*const *vtable)(void *);
};
#define CXX_STATE_DELETE 1
#define CXX_STATE_RUN 2

/* As libstdc++'s execute_native_thread_routine: run the state, then delete it. An exception out of
 * _M_run ends the process through std::terminate there as here (no handler on the thread). */
static void *cxx_thread_main(void *arg) {
    struct cxx_thread_state *state = arg;
    state->vtable[CXX_STATE_RUN](state);
    state->vtable[CXX_STATE_DELETE](state);
    return NULL;
}

#define CXX_START_THREAD "_ZNSt6thread15_M_start_threadESt10unique_ptrINS_6_StateESt14default_deleteIS1_EEPFvvE"
typedef void (*cxx_start_thread_fn)(void *self, struct cxx_thread_state **state, void (*depend)(void));

/* thread::_M_start_thread(unique_ptr<_State> state, void (*)()) on the std::thread at self (its
 * first member is the pthread_t): the unique_ptr comes by invisible reference and is released on
 * success, as libstdc++ does. When pthread_create fails, libstdc++'s own function tries again and
 * throws std::system_error, which C code cannot. */
static inline __attribute__((always_inline)) void track_cxx_start_thread(uint32_t slot, void *self,
        struct cxx_thread_state **state, void (*depend)(void)) {
    struct cxx_thread_state *s = *state;
    if (track_pthread_create(slot, (pthread_t *)self, NULL, cxx_thread_main, s, (void *)s->vtable[CXX_STATE_RUN]) == 0) {
        *state = NULL;
        return;
    }
    void *libstdcxx = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_NOLOAD);
    cxx_start_thread_fn original = libstdcxx ? (cxx_start_thread_fn)dlsym(libstdcxx, CXX_START_THREAD) : NULL;
    if (libstdcxx) {
        dlclose(libstdcxx);
    }
    if (!original) {
        abort();
    }
    original(self, state, depend);
}

#define DEFINE_THREAD_HOOKS(n) \
    static int pthread_create_##n(pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg) { \
        return track_pthread_create(n, t, a, f, arg, NULL); \
    } \
    static void cxx_start_thread_##n(void *self, struct cxx_thread_state **state, void (*depend)(void)) { \
        track_cxx_start_thread(n, self, state, depend); \
    }
SLOT_LIST(DEFINE_THREAD_HOOKS)

#define THREAD_ROW(n) {(void *)pthread_create_##n, (void *)cxx_start_thread_##n},
static void *const hooks[SLOTS][2] = {SLOT_LIST(THREAD_ROW)};

void *hooks_thread_lookup(uint32_t slot, const char *name) {
    if (strcmp(name, "pthread_create") == 0) {
        return hooks[slot][0];
    }
    return strcmp(name, CXX_START_THREAD) == 0 ? hooks[slot][1] : NULL;
}

void threads_count(uint32_t slot, uint64_t *started, uint64_t *running) {
    uint64_t s = 0, r = 0;
    pthread_mutex_lock(&records_lock);
    for (struct thread_record *t = records; t; t = t->next) {
        if (t->slot == slot) {
            s++;
            r += t->state == RELIB_AGENT_THREAD_RUNNING;
        }
    }
    pthread_mutex_unlock(&records_lock);
    *started = s;
    *running = r;
}

/* A running thread's current name, from procfs (pthread_getname_np does the same). */
static void read_name(int64_t tid, char name[16]) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%lld/comm", (long long)tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    ssize_t n = read(fd, name, 15);
    close(fd);
    if (n > 0) {
        name[n] = 0;
        char *newline = strchr(name, '\n');
        if (newline) *newline = 0;
    }
}

int64_t threads_snapshot(uint32_t slot, relib_agent_thread_t *buf, uint64_t cap) {
    int64_t total = 0;
    pthread_mutex_lock(&records_lock);
    for (struct thread_record *t = records; t; t = t->next) {
        if (t->slot != slot) {
            continue;
        }
        if ((uint64_t)total < cap) {
            relib_agent_thread_t *out = &buf[total];
            memset(out, 0, sizeof *out);
            out->tid = __atomic_load_n(&t->tid, __ATOMIC_RELAXED);
            out->pthread = (uint64_t)t->pthread;
            out->start_routine = (uint64_t)(uintptr_t)(t->shown_start ? t->shown_start : (void *)t->start);
            out->start_arg = (uint64_t)(uintptr_t)t->arg;
            out->boxed_fn_drop = t->boxed_fn_drop;
            out->boxed_fn_call = t->boxed_fn_call;
            out->started_ns = t->started_ns;
            out->exited_ns = t->exited_ns;
            out->state = t->state;
            memcpy(out->name, t->name, sizeof out->name);
            if (out->state == RELIB_AGENT_THREAD_RUNNING && out->tid) {
                read_name(out->tid, out->name);
            }
        }
        total++;
    }
    pthread_mutex_unlock(&records_lock);
    return total;
}

void threads_forget(uint32_t slot) {
    pthread_mutex_lock(&records_lock);
    for (struct thread_record **p = &records; *p;) {
        struct thread_record *t = *p;
        if (t->slot != slot) {
            p = &t->next;
        } else if (t->state == RELIB_AGENT_THREAD_RUNNING) {
            t->slot = NO_SLOT; /* its exit frees it */
            p = &t->next;
        } else {
            *p = t->next;
            free(t);
        }
    }
    pthread_mutex_unlock(&records_lock);
}
