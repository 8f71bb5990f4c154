#include "relib_agent.h"

uint32_t relib_agent_abi(void) {
    return RELIB_AGENT_ABI;
}
