/* Blocks of every shape the pointer table stores: any size, any alignment, resized and freed one
 * by one. For the agent's table test (engine/src/test/c/test_table.c). */
#include <malloc.h>
#include <stdlib.h>

void *shape_malloc(size_t size) {
    return malloc(size);
}

void *shape_memalign(size_t align, size_t size) {
    return memalign(align, size);
}

void *shape_realloc(void *p, size_t size) {
    return realloc(p, size);
}

void shape_free(void *p) {
    free(p);
}
