/* The C workload of bench/run's tracked-allocation rows: a tight malloc/free loop and blocks kept
 * alive, in a shared object so the agent can track it through its GOT like any module. */
#include <stdlib.h>

/* Each block escapes to the caller's *sink, so the compiler keeps every malloc/free pair; a sink of
 * each thread's own, as one shared by two threads would measure its cache line moving between cores. */
unsigned long pairs(unsigned long n, unsigned long size, void *volatile *sink) {
    for (unsigned long i = 0; i < n; i++) {
        void *p = malloc(size);
        *sink = p;
        free(p);
    }
    return n;
}

unsigned long keep(void **slots, unsigned long n, unsigned long size) {
    for (unsigned long i = 0; i < n; i++) {
        slots[i] = malloc(size);
    }
    return n;
}

void release(void **slots, unsigned long n) {
    for (unsigned long i = 0; i < n; i++) {
        free(slots[i]);
    }
}
