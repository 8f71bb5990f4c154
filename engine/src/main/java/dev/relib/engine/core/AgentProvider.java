package dev.relib.engine.core;

import dev.relib.engine.agent.Agent;
import java.util.function.Supplier;

/**
 * The native agent, loaded at the first tracked load rather than at start, so that a machine
 * where it cannot be loaded can still load modules {@code --untracked}. Owner thread only.
 */
final class AgentProvider implements Supplier<Agent> {

    private Agent agent;

    @Override
    public Agent get() {
        if (agent == null) {
            agent = Agent.load();
        }
        return agent;
    }
}
