/* A C module whose frames the symbolizer must get right at -O0 and -O2: small static helpers
 * that -O2 inlines (one, two and three levels deep) around allocations, a crash and an abort,
 * each reached through an exported function. Built as libcleak_O0.so, libcleak_O2.so and DWARF
 * variants (see the Makefile); the tests find lines by their text, never by number. */
#include <stdlib.h>
#include <string.h>

struct record {
    unsigned id;
    unsigned length;
    char *text;
};

static struct record *kept[64];
static unsigned kept_count;

static inline char *copy_text(const char *text, unsigned length) {
    char *copy = malloc(length + 1); /* cleak: copy_text allocates */
    if (copy) {
        memcpy(copy, text, length);
        copy[length] = 0;
    }
    return copy;
}

static inline struct record *make_record(unsigned id, const char *text) {
    struct record *r = malloc(sizeof *r); /* cleak: make_record allocates */
    if (!r) {
        return NULL;
    }
    r->id = id;
    r->length = (unsigned)strlen(text);
    r->text = copy_text(text, r->length); /* cleak: make_record calls copy_text */
    return r;
}

static inline void keep(struct record *r) {
    if (r && kept_count < 64) {
        kept[kept_count++] = r;
    }
}

/* Leaks two blocks through make_record, inlined at -O2. */
unsigned leak_helper_a(unsigned id) {
    struct record *r = make_record(id, "leaked by leak_helper_a"); /* cleak: leak_helper_a calls make_record */
    keep(r);
    return r ? r->length : 0;
}

/* The same helpers through one more level. */
static inline unsigned leak_twice(unsigned id) {
    keep(make_record(id, "first")); /* cleak: leak_twice calls make_record */
    keep(make_record(id + 1, "second"));
    return kept_count;
}

unsigned leak_helper_b(unsigned id) {
    return leak_twice(id) + 1; /* cleak: leak_helper_b calls leak_twice */
}

/* Frees what the helpers kept. */
unsigned release_kept(void) {
    unsigned released = kept_count;
    while (kept_count > 0) {
        struct record *r = kept[--kept_count];
        free(r->text);
        free(r);
    }
    return released;
}

static inline void store_through(volatile unsigned *target, unsigned value) {
    *target = value; /* cleak: store_through faults */
}

static inline void poke(unsigned *target, unsigned value) {
    store_through(target, value * 2); /* cleak: poke calls store_through */
}

/* Writes through a null pointer, two inlined levels down at -O2: SIGSEGV. */
unsigned crash(unsigned value) {
    unsigned *volatile target = NULL;
    poke(target, value); /* cleak: crash calls poke */
    return value;
}

static __attribute__((noinline)) void give_up(unsigned why) {
    if (why) {
        abort(); /* cleak: give_up aborts */
    }
}

/* abort() from a helper that is not inlined: SIGABRT. */
void crash_abort(unsigned why) {
    give_up(why + 1); /* cleak: crash_abort calls give_up */
}

/* A loop of work with no allocation, so the corpus has plain code too. */
unsigned checksum(const char *text) {
    unsigned sum = 0;
    for (const char *p = text; *p; p++) {
        sum = sum * 31 + (unsigned char)*p;
    }
    return sum;
}
