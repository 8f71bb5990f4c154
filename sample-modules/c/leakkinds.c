/* Heap blocks left in each of valgrind memcheck's leak kinds, one export per shape, for the leak
 * scan's tests and the side-by-side suite against valgrind (which runs the same exports through
 * leak-driver). Every export returns a count, never a pointer, so no register keeps a block alive. */
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *next;
    char payload[24];
};

static void *reachable_cache;     /* a static holds its start: still reachable */
static char *interior_cursor;     /* a static holds a pointer into its middle only: possibly lost */
static struct node *kept_list;    /* a list held by a static: every node still reachable */
static __thread void *tls_buffer; /* the calling thread's TLS holds it: still reachable */

static void *filled(size_t size) {
    void *p = malloc(size);
    if (p) {
        memset(p, 0x5a, size); /* no pointer-looking bytes, and the allocation is not optimised out */
    }
    return p;
}

static struct node *list_of(unsigned n) {
    struct node *head = NULL;
    for (unsigned i = 0; i < n; i++) {
        struct node *node = filled(sizeof *node); /* leakkinds: list node */
        if (!node) {
            break;
        }
        node->next = head;
        head = node;
    }
    return head;
}

/* n blocks of size bytes nothing points at: definitely lost. */
unsigned leak_equal_blocks(unsigned n, unsigned size) {
    unsigned made = 0;
    for (unsigned i = 0; i < n; i++) {
        void *volatile p = filled(size); /* leakkinds: equal block */
        made += p != NULL;
    }
    return made;
}

/* A list of n nodes whose head nothing points at: 1 definitely lost, n - 1 indirectly lost. */
unsigned leak_list(unsigned n) {
    struct node *volatile head = list_of(n);
    return head != NULL ? n : 0;
}

/* Two blocks pointing at each other, nothing else at them: 1 definitely, 1 indirectly lost. */
unsigned leak_cycle(void) {
    struct node *a = filled(sizeof *a); /* leakkinds: cycle */
    struct node *b = filled(sizeof *b); /* leakkinds: cycle */
    if (!a || !b) {
        return 0;
    }
    a->next = b;
    b->next = a;
    return 2;
}

/* A cache a static points at: still reachable. */
unsigned keep_cache(unsigned size) {
    free(reachable_cache);
    reachable_cache = filled(size); /* leakkinds: cache */
    return reachable_cache != NULL;
}

/* A list of n nodes held by a static: n blocks still reachable. */
unsigned keep_list(unsigned n) {
    kept_list = list_of(n);
    return n;
}

/* A block a static points into, 8 bytes past its start: possibly lost. */
unsigned keep_interior(unsigned size) {
    char *p = filled(size < 16 ? 16 : size); /* leakkinds: interior */
    interior_cursor = p ? p + 8 : NULL;
    return p != NULL;
}

/* A block the calling thread's thread-local holds: still reachable while that thread lives. */
unsigned keep_tls(unsigned size) {
    free(tls_buffer);
    tls_buffer = filled(size); /* leakkinds: tls */
    return tls_buffer != NULL;
}

/* Frees what the statics and this thread's thread-local hold. */
unsigned release_kept(void) {
    unsigned released = 0;
    while (kept_list) {
        struct node *next = kept_list->next;
        free(kept_list);
        kept_list = next;
        released++;
    }
    if (interior_cursor) {
        free(interior_cursor - 8);
        interior_cursor = NULL;
        released++;
    }
    released += reachable_cache != NULL;
    free(reachable_cache);
    reachable_cache = NULL;
    released += tls_buffer != NULL;
    free(tls_buffer);
    tls_buffer = NULL;
    return released;
}
