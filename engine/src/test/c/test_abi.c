/* The agent reports the ABI version the Java side expects. */
#include <stdio.h>
#include "relib_agent.h"

int main(void) {
    if (relib_agent_abi() != RELIB_AGENT_ABI) {
        fprintf(stderr, "FAIL: abi %u, expected %u\n", relib_agent_abi(), RELIB_AGENT_ABI);
        return 1;
    }
    printf("ok: abi %u\n", relib_agent_abi());
    return 0;
}
