/* Thread-local destructors and pthread keys a module registers.
 *
 * __cxa_thread_atexit_impl: glibc would count the destructor against the module's link map and
 * keep the module mapped until the thread exits. The agent keeps the destructor itself and asks
 * glibc, once per thread, to call the agent (never unloaded) at thread exit; the agent then runs
 * that thread's pending destructors, newest first. At unload the calling thread's are run, and
 * those of other threads are disabled.
 *
 * pthread_key_create: std creates keys whose destructors live in the module and never deletes
 * them; the agent records them so unload can run the calling thread's values and delete them. */
#include <stdlib.h>
#include <string.h>
#include "agent_internal.h"

int __cxa_thread_atexit_impl(void (*dtor)(void *), void *obj, void *dso_handle);
extern void *__dso_handle;

enum dtor_state { DTOR_PENDING, DTOR_RUNNING, DTOR_DISABLED };

struct tls_dtor {
    struct tls_dtor *next;
    uint32_t slot;
    enum dtor_state state;
    pthread_t owner;
    void (*dtor)(void *);
    void *obj;
};

struct key_record {
    struct key_record *next;
    uint32_t slot;
    pthread_key_t key;
    void (*dtor)(void *);
};

/* Newest first. Both lists are short and touched only on registration and unload. */
static struct tls_dtor *dtors;
static struct key_record *keys;
static pthread_mutex_t tls_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int exit_callback_registered;

static void remove_dtor(struct tls_dtor *d) {
    for (struct tls_dtor **p = &dtors; *p; p = &(*p)->next) {
        if (*p == d) {
            *p = d->next;
            return;
        }
    }
}

/* Runs the calling thread's pending destructors (of one slot, or all when slot == SLOTS) newest
 * first until none remain, and drops its disabled ones when all is set. */
static int run_own(uint32_t slot) {
    pthread_t self = pthread_self();
    int ran = 0;
    for (;;) {
        struct tls_dtor *next = NULL;
        pthread_mutex_lock(&tls_lock);
        for (struct tls_dtor **p = &dtors; *p;) {
            struct tls_dtor *d = *p;
            if (!pthread_equal(d->owner, self) || (slot != SLOTS && d->slot != slot)) {
                p = &d->next;
            } else if (d->state == DTOR_PENDING) {
                d->state = DTOR_RUNNING;
                next = d;
                break;
            } else if (d->state == DTOR_DISABLED && slot == SLOTS) {
                *p = d->next;
                free(d);
            } else {
                p = &d->next;
            }
        }
        pthread_mutex_unlock(&tls_lock);
        if (!next) {
            return ran;
        }
        next->dtor(next->obj);
        ran++;
        pthread_mutex_lock(&tls_lock);
        remove_dtor(next);
        pthread_mutex_unlock(&tls_lock);
        free(next);
    }
}

static void thread_exit_callback(void *unused) {
    (void)unused;
    exit_callback_registered = 0; /* a destructor registering another re-registers the callback */
    run_own(SLOTS);
}

static inline __attribute__((always_inline)) int track_thread_atexit(uint32_t slot, void (*dtor)(void *), void *obj) {
    struct tls_dtor *d = calloc(1, sizeof *d);
    if (!d) {
        return -1;
    }
    *d = (struct tls_dtor){NULL, slot, DTOR_PENDING, pthread_self(), dtor, obj};
    if (!exit_callback_registered) {
        if (__cxa_thread_atexit_impl(thread_exit_callback, NULL, &__dso_handle) != 0) {
            free(d);
            return -1;
        }
        exit_callback_registered = 1;
    }
    pthread_mutex_lock(&tls_lock);
    d->next = dtors;
    dtors = d;
    pthread_mutex_unlock(&tls_lock);
    return 0;
}

static inline __attribute__((always_inline)) int track_key_create(uint32_t slot, pthread_key_t *key, void (*dtor)(void *)) {
    struct key_record *k = calloc(1, sizeof *k);
    int result = pthread_key_create(key, dtor);
    if (result != 0 || !k) {
        free(k);
        return result;
    }
    *k = (struct key_record){NULL, slot, *key, dtor};
    pthread_mutex_lock(&tls_lock);
    k->next = keys;
    keys = k;
    pthread_mutex_unlock(&tls_lock);
    return 0;
}

/* Forgets the record of key (any slot: a key may be deleted by another module than its creator). */
static void drop_key_record(pthread_key_t key) {
    pthread_mutex_lock(&tls_lock);
    for (struct key_record **p = &keys; *p; p = &(*p)->next) {
        if ((*p)->key == key) {
            struct key_record *k = *p;
            *p = k->next;
            free(k);
            break;
        }
    }
    pthread_mutex_unlock(&tls_lock);
}

static inline __attribute__((always_inline)) int track_key_delete(pthread_key_t key) {
    int result = pthread_key_delete(key);
    if (result == 0) {
        drop_key_record(key);
    }
    return result;
}

#define DEFINE_TLS_HOOKS(n) \
    static int thread_atexit_##n(void (*d)(void *), void *o, void *h) { (void)h; return track_thread_atexit(n, d, o); } \
    static int key_create_##n(pthread_key_t *k, void (*d)(void *)) { return track_key_create(n, k, d); } \
    static int key_delete_##n(pthread_key_t k) { return track_key_delete(k); }
SLOT_LIST(DEFINE_TLS_HOOKS)

/* C++'s thread_local destructors come through libstdc++'s __cxa_thread_atexit, which takes the same
 * arguments and passes them on to glibc's. */
#define HOOK_COUNT 4
static const char *const names[HOOK_COUNT] = {"__cxa_thread_atexit_impl", "__cxa_thread_atexit", "pthread_key_create",
                                              "pthread_key_delete"};
#define TLS_ROW(n) {(void *)thread_atexit_##n, (void *)thread_atexit_##n, (void *)key_create_##n, (void *)key_delete_##n},
static void *const hooks[SLOTS][HOOK_COUNT] = {SLOT_LIST(TLS_ROW)};

void *hooks_tls_lookup(uint32_t slot, const char *name) {
    for (int i = 0; i < HOOK_COUNT; i++) {
        if (strcmp(names[i], name) == 0) {
            return hooks[slot][i];
        }
    }
    return NULL;
}

int tls_run_calling_thread(uint32_t slot) {
    return run_own(slot);
}

int tls_disable_other_threads(uint32_t slot) {
    pthread_t self = pthread_self();
    int disabled = 0;
    pthread_mutex_lock(&tls_lock);
    for (struct tls_dtor *d = dtors; d; d = d->next) {
        if (d->slot == slot && d->state == DTOR_PENDING && !pthread_equal(d->owner, self)) {
            d->state = DTOR_DISABLED;
            disabled++;
        }
    }
    pthread_mutex_unlock(&tls_lock);
    return disabled;
}

uint64_t tls_pending(uint32_t slot) {
    uint64_t n = 0;
    pthread_mutex_lock(&tls_lock);
    for (struct tls_dtor *d = dtors; d; d = d->next) {
        n += d->slot == slot && d->state == DTOR_PENDING;
    }
    pthread_mutex_unlock(&tls_lock);
    return n;
}

/* The module's keys, copied out so destructors run without the lock. Returns the count. */
static int module_keys(uint32_t slot, struct key_record *out, int cap) {
    int n = 0;
    pthread_mutex_lock(&tls_lock);
    for (struct key_record *k = keys; k && n < cap; k = k->next) {
        if (k->slot == slot) {
            out[n++] = *k;
        }
    }
    pthread_mutex_unlock(&tls_lock);
    return n;
}

#define MAX_KEYS_PER_CALL 128

int keys_run_and_delete(uint32_t slot, uint32_t *deleted) {
    struct key_record mine[MAX_KEYS_PER_CALL];
    int n = module_keys(slot, mine, MAX_KEYS_PER_CALL);
    int ran = 0;
    /* As glibc at thread exit: a destructor may set values again, so repeat up to 4 rounds. */
    for (int round = 0, again = 1; round < 4 && again; round++) {
        again = 0;
        for (int i = 0; i < n; i++) {
            void *value = pthread_getspecific(mine[i].key);
            if (value) {
                pthread_setspecific(mine[i].key, NULL);
                if (mine[i].dtor) {
                    mine[i].dtor(value);
                    ran++;
                    again = 1;
                }
            }
        }
    }
    for (int i = 0; i < n; i++) {
        pthread_key_delete(mine[i].key);
        drop_key_record(mine[i].key);
    }
    if (deleted) {
        *deleted = (uint32_t)n;
    }
    return ran;
}

uint64_t keys_live(uint32_t slot) {
    uint64_t n = 0;
    pthread_mutex_lock(&tls_lock);
    for (struct key_record *k = keys; k; k = k->next) {
        n += k->slot == slot;
    }
    pthread_mutex_unlock(&tls_lock);
    return n;
}

int keys_have_values_on_this_thread(void) {
    int found = 0;
    pthread_mutex_lock(&tls_lock);
    for (struct key_record *k = keys; k && !found; k = k->next) {
        found = pthread_getspecific(k->key) != NULL;
    }
    pthread_mutex_unlock(&tls_lock);
    return found;
}

void tls_forget(uint32_t slot) {
    pthread_mutex_lock(&tls_lock);
    for (struct tls_dtor *d = dtors; d; d = d->next) {
        if (d->slot == slot && d->state == DTOR_PENDING) {
            d->state = DTOR_DISABLED; /* its thread frees it on exit */
        }
    }
    for (struct key_record **p = &keys; *p;) {
        struct key_record *k = *p;
        if (k->slot == slot) {
            pthread_key_delete(k->key); /* a value left on a thread must not call unmapped code */
            *p = k->next;
            free(k);
        } else {
            p = &k->next;
        }
    }
    pthread_mutex_unlock(&tls_lock);
}
