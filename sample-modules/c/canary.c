/* The other library of handoff.c's scenario: frees a block handed to it and keeps a string of its
 * own (likely at the address just freed) that must stay intact when the handing module unloads. */
#include <stdlib.h>
#include <string.h>

#define CANARY "canary: this string belongs to libcanary"

static char *kept[8];

void take_and_free(void *p) {
    free(p);
}

/* Allocates a canary string of size bytes (at least the text) into kept[i]; returns its address. */
void *make_canary(unsigned i, unsigned long size) {
    if (i >= 8 || size < sizeof CANARY) {
        return NULL;
    }
    kept[i] = malloc(size);
    if (kept[i]) {
        memcpy(kept[i], CANARY, sizeof CANARY);
    }
    return kept[i];
}

int canary_intact(unsigned i) {
    return i < 8 && kept[i] && strcmp(kept[i], CANARY) == 0;
}

void drop_canary(unsigned i) {
    if (i < 8) {
        free(kept[i]);
        kept[i] = NULL;
    }
}
