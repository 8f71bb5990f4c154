/* An SDK module from the future: a manifest and relib_sdk_info, but ABI 99. The engine must refuse
 * it naming both ABI versions, and leave nothing mapped. Its own relib_sdk_init must never run. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct {
    const uint8_t *ptr;
    size_t len;
} RelibStr;

typedef struct {
    uint32_t abi;
    uint32_t size;
    RelibStr sdk_version;
    RelibStr rustc_version;
    RelibStr crate_name;
    RelibStr crate_version;
} RelibSdkInfo;

__attribute__((used, section(".relib_exports"))) static const char add_entry[] = "add(i32, i32) -> i32";

static const RelibSdkInfo info = {
    .abi = 99,
    .size = sizeof(RelibSdkInfo),
    .sdk_version = {(const uint8_t *)"99.0.0", 6},
};

const RelibSdkInfo *relib_sdk_info(void) {
    return &info;
}

int32_t relib_sdk_init(const void *host) {
    (void)host;
    abort();
}

int32_t add(int32_t a, int32_t b) {
    return a + b;
}
