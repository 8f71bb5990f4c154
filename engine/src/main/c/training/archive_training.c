/*
 * The module the launcher's training session loads, calls, lists and unloads once, when the
 * class-data archives are made: what the archives hold is what that session ran (README,
 * "Performance"). Shipped in the jar beside the agent; nothing else loads it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT int32_t training_add(int32_t a, int32_t b) {
    return a + b;
}

/* A block the unload reports as leaked, and frees. */
EXPORT void *training_leak(size_t bytes) {
    void *block = malloc(bytes);
    if (block != NULL) {
        memset(block, 0x5a, bytes);
    }
    return block;
}

EXPORT uint64_t training_churn(uint64_t times) {
    uint64_t sum = 0;
    for (uint64_t i = 0; i < times; i++) {
        char *volatile block = malloc(64);
        block[0] = (char)i;
        sum += (unsigned char)block[0];
        free(block);
    }
    return sum;
}

/* A mapping the unload reports as left behind. */
EXPORT void *training_map(size_t bytes) {
    void *region = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return region == MAP_FAILED ? NULL : region;
}

EXPORT const char *training_name(void) {
    return "relib archive training";
}
