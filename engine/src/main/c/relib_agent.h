/* relib native agent: the one public header. Everything not declared here has hidden visibility.
 * Constants marked "must match" are mirrored in Java (dev.relib.engine.agent). */
#ifndef RELIB_AGENT_H
#define RELIB_AGENT_H

#include <stdint.h>

#define RELIB_AGENT_EXPORT __attribute__((visibility("default")))

/* must match: dev.relib.engine.agent.AgentLibrary.EXPECTED_ABI */
#define RELIB_AGENT_ABI 1

/* The agent's ABI version; the Java side refuses an agent of another version. */
RELIB_AGENT_EXPORT uint32_t relib_agent_abi(void);

#endif
