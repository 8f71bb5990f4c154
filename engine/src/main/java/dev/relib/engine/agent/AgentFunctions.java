package dev.relib.engine.agent;

import java.nio.ByteBuffer;

/** {@code relib_agent.h}, bound by JNR-FFI. Buffers are direct; ids are {@code uint32_t}. */
public interface AgentFunctions {

    int relib_agent_abi();

    int relib_agent_attach(long dlHandle, int moduleId);

    int relib_agent_attach_flags(long dlHandle, int moduleId, int flags);

    int relib_agent_detach(int moduleId);

    int relib_agent_stats(int moduleId, ByteBuffer out);

    long relib_agent_blocks(int moduleId, ByteBuffer buf, long cap);

    long relib_agent_threads(int moduleId, ByteBuffer buf, long cap);

    long relib_agent_mappings(int moduleId, ByteBuffer buf, long cap);

    long relib_agent_stacks(int moduleId, ByteBuffer buf, long cap);

    int relib_agent_leak_scan(long dlHandle, int moduleId, ByteBuffer blocks, long count, ByteBuffer kinds);

    int relib_agent_run_tls_destructors(int moduleId);

    int relib_agent_run_key_destructors_and_delete(int moduleId, ByteBuffer keysDeleted);

    int relib_agent_disable_tls_destructors(int moduleId);

    int relib_agent_free_blocks(int moduleId, ByteBuffer freedBytes);

    int relib_agent_unmap_mappings(int moduleId, ByteBuffer unmappedBytes);

    int relib_agent_forget(int moduleId);
}
