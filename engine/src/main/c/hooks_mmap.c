/* mmap/munmap hooks: the mappings a module makes and has not unmapped. Anonymous and file-backed
 * mappings are both recorded (a leaked mapping of the module's own file would keep it in
 * /proc/self/maps after dlclose); the flags say which. munmap of part of a mapping trims it. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "agent_internal.h"

struct mapping {
    struct mapping *next;
    uint32_t slot;
    uintptr_t start, end;
    int prot, flags;
};

static struct mapping *mappings;
static pthread_mutex_t mappings_lock = PTHREAD_MUTEX_INITIALIZER;

static inline __attribute__((always_inline)) void *track_mmap(uint32_t slot, void *addr, size_t len, int prot,
                                                               int flags, int fd, off_t off) {
    void *p = mmap(addr, len, prot, flags, fd, off);
    if (p == MAP_FAILED) {
        return p;
    }
    struct mapping *m = malloc(sizeof *m);
    if (m) {
        *m = (struct mapping){NULL, slot, (uintptr_t)p, (uintptr_t)p + len, prot, flags};
        pthread_mutex_lock(&mappings_lock);
        m->next = mappings;
        mappings = m;
        pthread_mutex_unlock(&mappings_lock);
    }
    return p;
}

/* Removes [start, end) from every record (of any slot), splitting those that contain it. */
static void forget_range(uintptr_t start, uintptr_t end) {
    pthread_mutex_lock(&mappings_lock);
    for (struct mapping **p = &mappings; *p;) {
        struct mapping *m = *p;
        if (m->end <= start || m->start >= end) {
            p = &m->next;
        } else if (start <= m->start && end >= m->end) {
            *p = m->next;
            free(m);
        } else if (start > m->start && end < m->end) {
            struct mapping *tail = malloc(sizeof *tail);
            if (tail) {
                *tail = *m;
                tail->start = end;
                m->next = tail;
            }
            m->end = start;
            p = tail ? &tail->next : &m->next;
        } else {
            if (start <= m->start) {
                m->start = end;
            } else {
                m->end = start;
            }
            p = &m->next;
        }
    }
    pthread_mutex_unlock(&mappings_lock);
}

static inline __attribute__((always_inline)) int track_munmap(void *addr, size_t len) {
    int r = munmap(addr, len);
    if (r == 0) {
        uintptr_t page = 4096;
        uintptr_t end = ((uintptr_t)addr + len + page - 1) & ~(page - 1);
        forget_range((uintptr_t)addr, end);
    }
    return r;
}

#define DEFINE_MMAP_HOOKS(n) \
    static void *mmap_##n(void *a, size_t l, int p, int f, int fd, off_t o) { return track_mmap(n, a, l, p, f, fd, o); } \
    static int munmap_##n(void *a, size_t l) { (void)n; return track_munmap(a, l); }
SLOT_LIST(DEFINE_MMAP_HOOKS)

#define HOOK_COUNT 3
static const char *const names[HOOK_COUNT] = {"mmap", "mmap64", "munmap"};
#define MMAP_ROW(n) {(void *)mmap_##n, (void *)mmap_##n, (void *)munmap_##n},
static void *const hooks[SLOTS][HOOK_COUNT] = {SLOT_LIST(MMAP_ROW)};

void *hooks_mmap_lookup(uint32_t slot, const char *name) {
    for (int i = 0; i < HOOK_COUNT; i++) {
        if (strcmp(names[i], name) == 0) {
            return hooks[slot][i];
        }
    }
    return NULL;
}

void mappings_count(uint32_t slot, uint64_t *count, uint64_t *bytes) {
    uint64_t n = 0, b = 0;
    pthread_mutex_lock(&mappings_lock);
    for (struct mapping *m = mappings; m; m = m->next) {
        if (m->slot == slot) {
            n++;
            b += m->end - m->start;
        }
    }
    pthread_mutex_unlock(&mappings_lock);
    *count = n;
    *bytes = b;
}

int64_t mappings_snapshot(uint32_t slot, relib_agent_mapping_t *buf, uint64_t cap) {
    int64_t total = 0;
    pthread_mutex_lock(&mappings_lock);
    for (struct mapping *m = mappings; m; m = m->next) {
        if (m->slot == slot) {
            if ((uint64_t)total < cap) {
                buf[total] = (relib_agent_mapping_t){m->start, m->end - m->start, (uint32_t)m->prot,
                                                    (uint32_t)m->flags, 0};
            }
            total++;
        }
    }
    pthread_mutex_unlock(&mappings_lock);
    return total;
}

int mappings_unmap(uint32_t slot, uint64_t *bytes) {
    int n = 0;
    uint64_t b = 0;
    pthread_mutex_lock(&mappings_lock);
    for (struct mapping **p = &mappings; *p;) {
        struct mapping *m = *p;
        if (m->slot == slot) {
            munmap((void *)m->start, m->end - m->start);
            n++;
            b += m->end - m->start;
            *p = m->next;
            free(m);
        } else {
            p = &m->next;
        }
    }
    pthread_mutex_unlock(&mappings_lock);
    *bytes = b;
    return n;
}

void mappings_forget(uint32_t slot) {
    pthread_mutex_lock(&mappings_lock);
    for (struct mapping **p = &mappings; *p;) {
        struct mapping *m = *p;
        if (m->slot == slot) {
            *p = m->next;
            free(m);
        } else {
            p = &m->next;
        }
    }
    pthread_mutex_unlock(&mappings_lock);
}
