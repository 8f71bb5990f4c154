package dev.relib.engine.agent;

/** The agent's constants and error codes, as {@code relib_agent.h} defines them. */
final class AgentCodes {

    /** must match: RELIB_AGENT_MAX_MODULES */
    static final int MAX_MODULES = 64;

    /** must match: RELIB_AGENT_E_* */
    static final int E_INVALID = 1;
    static final int E_UNKNOWN = 2;
    static final int E_ATTACHED = 3;
    static final int E_FULL = 4;
    static final int E_DLINFO = 5;
    static final int E_DYNAMIC = 6;
    static final int E_MPROTECT = 7;
    static final int E_DETACHED = 8;
    static final int E_GONE = 9;

    /** must match: RELIB_AGENT_CAPTURE_STACKS */
    static final int CAPTURE_STACKS = 1;

    /** must match: RELIB_AGENT_STACK_DEPTH */
    static final int STACK_DEPTH = 24;

    /** must match: RELIB_AGENT_THREAD_RUNNING / RELIB_AGENT_THREAD_EXITED */
    static final int THREAD_RUNNING = 1;
    static final int THREAD_EXITED = 2;

    private AgentCodes() {
    }

    /** The stable error code for a negative return value: {@code agent.unknown_module}. */
    static String code(int negated) {
        return switch (-negated) {
            case E_INVALID -> "agent.invalid_argument";
            case E_UNKNOWN -> "agent.unknown_module";
            case E_ATTACHED -> "agent.attached";
            case E_FULL -> "agent.full";
            case E_DLINFO -> "agent.not_a_handle";
            case E_DYNAMIC -> "agent.no_dynamic_section";
            case E_MPROTECT -> "agent.mprotect";
            case E_DETACHED -> "agent.not_attached";
            case E_GONE -> "agent.module_gone";
            default -> "agent.error";
        };
    }

    /** What a negative return value means, for a person. */
    static String explain(int negated) {
        return switch (-negated) {
            case E_INVALID -> "the agent was passed a null handle or buffer";
            case E_UNKNOWN -> "the agent has no module with this id (never attached, or already forgotten)";
            case E_ATTACHED -> "the module is attached: attach it only once, and detach it before forget";
            case E_FULL -> "the agent tracks at most " + MAX_MODULES + " modules at once; unload one first";
            case E_DLINFO -> "dlinfo(RTLD_DI_LINKMAP) failed: the handle is not a live dlopen handle";
            case E_DYNAMIC -> "the module's dynamic section has no DT_SYMTAB/DT_STRTAB, so its GOT cannot be found";
            case E_MPROTECT -> "mprotect refused to make a GOT page writable";
            case E_DETACHED -> "the module is not attached";
            case E_GONE -> "the module is no longer loaded: it closed its own handle (dlclose from inside it)";
            default -> "unknown agent error " + negated;
        };
    }
}
