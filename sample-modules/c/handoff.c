/* Blocks that leave the module without a free through its own GOT: libc's getline grows the line
 * buffer the module passed it, reallocarray, and a block handed to another library that frees it.
 * The agent must count each exactly and never free at unload what is no longer the module's. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *line;
static size_t line_capacity;
static long *array;

/* Reads the first line of path into a buffer the module allocated too small, so getline grows it
 * with libc's own realloc; keeps it (a leak). Returns the line's length, or -1. */
long read_line_grow(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    line_capacity = 4;
    line = malloc(line_capacity);
    long n = getline(&line, &line_capacity, f);
    fclose(f);
    return n;
}

/* The capacity getline left in line_capacity: the size of the block it holds. */
unsigned long line_size(void) {
    return line_capacity;
}

/* An 8-byte block grown to n longs by reallocarray; kept (a leak). */
unsigned long grow_array(unsigned long n) {
    array = malloc(sizeof *array);
    long *grown = reallocarray(array, n, sizeof *array);
    if (grown) {
        array = grown;
    }
    return grown ? n * sizeof *array : 0;
}

/* A block the caller passes on to other code, which frees it. */
void *give(unsigned long size) {
    char *p = malloc(size);
    if (p) {
        memset(p, 'g', size);
    }
    return p;
}
