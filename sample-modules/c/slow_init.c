/* A constructor that never finishes, as one waiting on a lock or a server that never answers would:
 * loading it must end at the load deadline, not hang the shell. */
#include <unistd.h>

__attribute__((constructor)) static void slow_init(void) {
    for (;;) {
        sleep(1);
    }
}

int never_reached(void) {
    return 1;
}
