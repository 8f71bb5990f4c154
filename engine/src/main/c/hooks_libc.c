/* libc functions that hand heap memory to their caller, hooked in the module's GOT so what they
 * allocate is the module's. Preloaded (the worker), a hook marks the calling thread for the call
 * (attribution_tls) and the process-wide malloc family attributes every block the call allocates,
 * with the size libc asked for: exactly what valgrind sees. Only functions whose every allocation
 * goes to the caller are marked; getline is not (its first read of a stream allocates the stream's
 * buffer, which libc keeps), so its hook attributes the line buffer alone. In-process (no preload)
 * the hook records the returned block itself where its size is known from the result (the string
 * functions, getline, valloc, reallocarray); FILE, DIR, scandir, backtrace_symbols and
 * open_memstream blocks are then not tracked. FILE and DIR streams the module opens are kept per
 * module so that a leaked stream is closed (not freed under libc's list of streams) at unload. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "tracking.h"

/* ---- streams the module opened ---- */
#define MAX_STREAMS 1024
enum stream_kind { STREAM_FILE = 1, STREAM_DIR = 2 };
struct stream_list {
    int lock;
    uint32_t count;
    struct { void *ptr; int kind; } items[MAX_STREAMS];
};
static struct stream_list *streams[SLOTS];

static struct stream_list *streams_of(uint32_t slot) {
    struct stream_list *l = __atomic_load_n(&streams[slot], __ATOMIC_ACQUIRE);
    if (!l) {
        struct stream_list *fresh = sys_calloc(1, sizeof *fresh);
        if (!fresh) return NULL;
        if (!__atomic_compare_exchange_n(&streams[slot], &l, fresh, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            sys_free(fresh);
        } else {
            l = fresh;
        }
    }
    return l;
}

static void list_lock(struct stream_list *l) {
    spin_lock(&l->lock);
}

static void list_unlock(struct stream_list *l) {
    spin_unlock(&l->lock);
}

static void stream_opened(uint32_t slot, void *p, int kind) {
    struct stream_list *l = p ? streams_of(slot) : NULL;
    if (!l) return;
    list_lock(l);
    if (l->count < MAX_STREAMS) {
        l->items[l->count].ptr = p;
        l->items[l->count].kind = kind;
        l->count++;
    }
    list_unlock(l);
}

static void stream_closed(uint32_t slot, void *p) {
    struct stream_list *l = __atomic_load_n(&streams[slot], __ATOMIC_ACQUIRE);
    if (!l || !p) return;
    list_lock(l);
    for (uint32_t i = 0; i < l->count; i++) {
        if (l->items[i].ptr == p) {
            l->items[i] = l->items[--l->count];
            break;
        }
    }
    list_unlock(l);
}

uint64_t streams_open(uint32_t slot) {
    struct stream_list *l = __atomic_load_n(&streams[slot], __ATOMIC_ACQUIRE);
    return l ? __atomic_load_n(&l->count, __ATOMIC_RELAXED) : 0;
}

/* Closes the module's streams whose block is still the module's (so nobody else closed and reused
 * it); returns how many. Preloaded only: in-process a stream closed by other code is not seen. */
uint64_t streams_close(uint32_t slot) {
    struct stream_list *l = __atomic_load_n(&streams[slot], __ATOMIC_ACQUIRE);
    uint64_t closed = 0;
    while (l && agent_preloaded) {
        list_lock(l);
        if (l->count == 0) {
            list_unlock(l);
            break;
        }
        void *p = l->items[l->count - 1].ptr;
        int kind = l->items[l->count - 1].kind;
        l->count--;
        list_unlock(l);
        if (table_holds((uintptr_t)p, slot)) {
            fds_closed(kind == STREAM_FILE ? fileno(p) : dirfd(p));
            if (kind == STREAM_FILE) fclose(p); else closedir(p);
            closed++;
        }
    }
    return closed;
}

void streams_forget(uint32_t slot) {
    struct stream_list *l = __atomic_load_n(&streams[slot], __ATOMIC_ACQUIRE);
    if (l) {
        list_lock(l);
        l->count = 0;
        list_unlock(l);
    }
}

/* ---- marking ---- */
#define MARK(n) uint32_t saved_mark = attribution_tls; attribution_tls = agent_preloaded ? (n) + 1 : 0
#define UNMARK() attribution_tls = saved_mark

#define STACK(n) stacks_capture_if_asked(n)

/* In-process only: records a block whose size the result tells. */
static inline void note_string(uint32_t slot, char *r) {
    if (r && !agent_preloaded) note_alloc(slot, r, strlen(r) + 1, 0, STACK(slot));
}

static char *l_strdup(uint32_t n, const char *s) { MARK(n); char *r = strdup(s); UNMARK(); note_string(n, r); return r; }
static char *l_strndup(uint32_t n, const char *s, size_t m) { MARK(n); char *r = strndup(s, m); UNMARK(); note_string(n, r); return r; }
static char *l_tempnam(uint32_t n, const char *d, const char *p) { MARK(n); char *r = tempnam(d, p); UNMARK(); note_string(n, r); return r; }
static char *l_get_current_dir_name(uint32_t n) { MARK(n); char *r = get_current_dir_name(); UNMARK(); note_string(n, r); return r; }
static char *l_realpath(uint32_t n, const char *path, char *resolved) {
    if (resolved) return realpath(path, resolved);
    MARK(n); char *r = realpath(path, NULL); UNMARK(); note_string(n, r); return r;
}
static char *l_getcwd(uint32_t n, char *buf, size_t size) {
    if (buf) return getcwd(buf, size);
    MARK(n); char *r = getcwd(NULL, size); UNMARK();
    if (r && !agent_preloaded) note_alloc(n, r, size ? size : strlen(r) + 1, 0, STACK(n));
    return r;
}
static int l_vasprintf(uint32_t n, char **out, const char *f, va_list a) {
    MARK(n); int r = vasprintf(out, f, a); UNMARK();
    if (r >= 0 && !agent_preloaded) note_alloc(n, *out, (size_t)r + 1, 0, STACK(n));
    return r;
}
static int l_vasprintf_chk(uint32_t n, char **out, int flag, const char *f, va_list a) { (void)flag; return l_vasprintf(n, out, f, a); }
static void *l_valloc(uint32_t n, size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *p = sys_memalign(page, size);
    if (p) note_alloc(n, p, size, page, STACK(n));
    return p;
}
static void *l_pvalloc(uint32_t n, size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t rounded = (size + page - 1) & ~(page - 1);
    void *p = sys_memalign(page, rounded ? rounded : page);
    if (p) note_alloc(n, p, size, page, STACK(n));
    return p;
}
typedef void *(*realloc_fn)(void *, size_t);
static void *l_reallocarray(uint32_t n, void *p, size_t count, size_t size) {
    size_t bytes;
    if (__builtin_mul_overflow(count, size, &bytes)) {
        errno = ENOMEM;
        return NULL;
    }
    return ((realloc_fn)hooks_alloc_lookup(n, RELAXED_LOAD(&slot_attach_flags[n]), "realloc"))(p, bytes);
}
static char **l_backtrace_symbols(uint32_t n, void *const *frames, int depth) {
    MARK(n); char **r = backtrace_symbols(frames, depth); UNMARK(); return r;
}
/* The line buffer getline leaves in *line is the module's; glibc's realloc of a tracked buffer keeps
 * it tracked when preloaded, so only a buffer getline made from nothing is recorded here. */
static ssize_t line_done(uint32_t n, char *before, size_t before_size, char **line, size_t *size, ssize_t r) {
    char *after = *line;
    if (!after || (after == before && *size == before_size)) return r;
    struct counter_block *b = counters_self();
    if (!before) {
        note_alloc(n, after, *size, 0, STACK(n));
    } else if (!agent_preloaded) {
        struct table_entry old;
        if (take(b, before, &old)) {
            counters_free(b, entry_slot(&old), entry_size(&old));
            note_alloc(entry_slot(&old), after, *size, 0, old.stack);
        }
    }
    return r;
}
static ssize_t l_getdelim(uint32_t n, char **line, size_t *size, int delim, FILE *f) {
    char *before = *line;
    size_t before_size = before ? *size : 0;
    return line_done(n, before, before_size, line, size, getdelim(line, size, delim, f));
}
static ssize_t l_getline(uint32_t n, char **line, size_t *size, FILE *f) { return l_getdelim(n, line, size, '\n', f); }
static FILE *l_fopen(uint32_t n, const char *path, const char *mode) {
    /* ",ccs=" loads a character-set converter whose tables libc keeps: not the module's. */
    int plain = !strstr(mode, "ccs=");
    uint32_t saved_mark = attribution_tls;
    attribution_tls = agent_preloaded && plain ? n + 1 : 0;
    FILE *r = fopen(path, mode);
    UNMARK();
    stream_opened(n, r, STREAM_FILE);
    if (r) fds_opened_stream(n, fileno(r), 0);
    return r;
}
static FILE *l_fdopen(uint32_t n, int fd, const char *mode) {
    int plain = !strstr(mode, "ccs=");
    uint32_t saved_mark = attribution_tls;
    attribution_tls = agent_preloaded && plain ? n + 1 : 0;
    FILE *r = fdopen(fd, mode);
    UNMARK();
    stream_opened(n, r, STREAM_FILE);
    return r;
}
static FILE *l_open_memstream(uint32_t n, char **buf, size_t *size) {
    MARK(n); FILE *r = open_memstream(buf, size); UNMARK(); stream_opened(n, r, STREAM_FILE); return r;
}
static int l_fclose(uint32_t n, FILE *f) { stream_closed(n, f); fds_closed(fileno(f)); return fclose(f); }
static DIR *l_opendir(uint32_t n, const char *path) {
    MARK(n); DIR *r = opendir(path); UNMARK();
    stream_opened(n, r, STREAM_DIR);
    if (r) fds_opened_stream(n, dirfd(r), 1);
    return r;
}
static DIR *l_fdopendir(uint32_t n, int fd) { MARK(n); DIR *r = fdopendir(fd); UNMARK(); stream_opened(n, r, STREAM_DIR); return r; }
static int l_closedir(uint32_t n, DIR *d) { stream_closed(n, d); fds_closed(dirfd(d)); return closedir(d); }

/* scandir runs the module's filter and comparison inside the marked call: unmark around them. */
typedef int (*filter_fn)(const struct dirent *);
typedef int (*compar_fn)(const struct dirent **, const struct dirent **);
static __thread filter_fn scan_filter __attribute__((tls_model("initial-exec")));
static __thread compar_fn scan_compar __attribute__((tls_model("initial-exec")));
static int unmarked_filter(const struct dirent *e) {
    uint32_t saved_mark = attribution_tls; attribution_tls = 0;
    int r = scan_filter(e);
    UNMARK();
    return r;
}
static int unmarked_compar(const struct dirent **a, const struct dirent **b) {
    uint32_t saved_mark = attribution_tls; attribution_tls = 0;
    int r = scan_compar(a, b);
    UNMARK();
    return r;
}
static int l_scandir(uint32_t n, const char *dir, struct dirent ***list, filter_fn filter, compar_fn compar) {
    filter_fn saved_filter = scan_filter;
    compar_fn saved_compar = scan_compar;
    scan_filter = filter;
    scan_compar = compar;
    MARK(n);
    int r = scandir(dir, list, filter ? unmarked_filter : NULL, compar ? unmarked_compar : NULL);
    UNMARK();
    scan_filter = saved_filter;
    scan_compar = saved_compar;
    return r;
}

#define DEFINE_LIBC_HOOKS(n) \
    static char *strdup_##n(const char *s) { return l_strdup(n, s); } \
    static char *strndup_##n(const char *s, size_t m) { return l_strndup(n, s, m); } \
    static char *tempnam_##n(const char *d, const char *p) { return l_tempnam(n, d, p); } \
    static char *gcdn_##n(void) { return l_get_current_dir_name(n); } \
    static char *realpath_##n(const char *p, char *r) { return l_realpath(n, p, r); } \
    static char *realpath_chk_##n(const char *p, char *r, size_t l) { (void)l; return l_realpath(n, p, r); } \
    static char *getcwd_##n(char *b, size_t s) { return l_getcwd(n, b, s); } \
    static char *getcwd_chk_##n(char *b, size_t s, size_t l) { (void)l; return l_getcwd(n, b, s); } \
    static int vasprintf_##n(char **o, const char *f, va_list a) { return l_vasprintf(n, o, f, a); } \
    static int vasprintf_chk_##n(char **o, int fl, const char *f, va_list a) { return l_vasprintf_chk(n, o, fl, f, a); } \
    static int asprintf_##n(char **o, const char *f, ...) { va_list a; va_start(a, f); int r = l_vasprintf(n, o, f, a); va_end(a); return r; } \
    static int asprintf_chk_##n(char **o, int fl, const char *f, ...) { (void)fl; va_list a; va_start(a, f); int r = l_vasprintf(n, o, f, a); va_end(a); return r; } \
    static void *valloc_##n(size_t s) { return l_valloc(n, s); } \
    static void *pvalloc_##n(size_t s) { return l_pvalloc(n, s); } \
    static void *reallocarray_##n(void *p, size_t c, size_t s) { return l_reallocarray(n, p, c, s); } \
    static char **backtrace_symbols_##n(void *const *f, int d) { return l_backtrace_symbols(n, f, d); } \
    static ssize_t getline_##n(char **l, size_t *s, FILE *f) { return l_getline(n, l, s, f); } \
    static ssize_t getdelim_##n(char **l, size_t *s, int d, FILE *f) { return l_getdelim(n, l, s, d, f); } \
    static FILE *fopen_##n(const char *p, const char *m) { return l_fopen(n, p, m); } \
    static FILE *fdopen_##n(int fd, const char *m) { return l_fdopen(n, fd, m); } \
    static FILE *open_memstream_##n(char **b, size_t *s) { return l_open_memstream(n, b, s); } \
    static int fclose_##n(FILE *f) { return l_fclose(n, f); } \
    static DIR *opendir_##n(const char *p) { return l_opendir(n, p); } \
    static DIR *fdopendir_##n(int fd) { return l_fdopendir(n, fd); } \
    static int closedir_##n(DIR *d) { return l_closedir(n, d); } \
    static int scandir_##n(const char *d, struct dirent ***l, filter_fn f, compar_fn c) { return l_scandir(n, d, l, f, c); }
SLOT_LIST(DEFINE_LIBC_HOOKS)

static const char *const names[] = {
    "strdup", "strndup", "tempnam", "get_current_dir_name", "realpath", "__realpath_chk", "getcwd", "__getcwd_chk",
    "vasprintf", "__vasprintf_chk", "asprintf", "__asprintf_chk", "valloc", "pvalloc", "reallocarray",
    "backtrace_symbols", "getline", "getdelim", "__getdelim", "fopen", "fopen64", "fdopen", "open_memstream", "fclose",
    "opendir", "fdopendir", "closedir", "scandir", "scandir64",
};
#define LIBC_HOOKS (sizeof names / sizeof names[0])
#define LIBC_ROW(n) {(void *)strdup_##n, (void *)strndup_##n, (void *)tempnam_##n, (void *)gcdn_##n, \
    (void *)realpath_##n, (void *)realpath_chk_##n, (void *)getcwd_##n, (void *)getcwd_chk_##n, \
    (void *)vasprintf_##n, (void *)vasprintf_chk_##n, (void *)asprintf_##n, (void *)asprintf_chk_##n, \
    (void *)valloc_##n, (void *)pvalloc_##n, (void *)reallocarray_##n, (void *)backtrace_symbols_##n, \
    (void *)getline_##n, (void *)getdelim_##n, (void *)getdelim_##n, (void *)fopen_##n, (void *)fopen_##n, \
    (void *)fdopen_##n, (void *)open_memstream_##n, (void *)fclose_##n, (void *)opendir_##n, (void *)fdopendir_##n, \
    (void *)closedir_##n, (void *)scandir_##n, (void *)scandir_##n},
static void *const hooks[SLOTS][LIBC_HOOKS] = {SLOT_LIST(LIBC_ROW)};

void *hooks_libc_lookup(uint32_t slot, const char *name) {
    for (size_t i = 0; i < LIBC_HOOKS; i++) {
        if (strcmp(names[i], name) == 0) {
            return hooks[slot][i];
        }
    }
    return NULL;
}
