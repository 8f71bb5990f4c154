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

    long relib_agent_fds(int moduleId, ByteBuffer buf, long cap);

    int relib_agent_close_fds(int moduleId);

    long relib_agent_stacks(int moduleId, ByteBuffer buf, long cap);

    int relib_agent_leak_scan(long dlHandle, int moduleId, ByteBuffer blocks, long count, ByteBuffer kinds);

    int relib_agent_run_tls_destructors(int moduleId);

    int relib_agent_run_key_destructors_and_delete(int moduleId, ByteBuffer keysDeleted);

    int relib_agent_disable_tls_destructors(int moduleId);

    int relib_agent_free_blocks(int moduleId, ByteBuffer freedBytes);

    int relib_agent_unmap_mappings(int moduleId, ByteBuffer unmappedBytes);

    int relib_agent_forget(int moduleId);

    long relib_agent_stderr_written(int moduleId);

    long relib_agent_stderr_copy(int moduleId, long from, ByteBuffer buf, long cap);

    void relib_agent_relib_imports(ByteBuffer out);

    long relib_agent_relib_register(String name);

    int relib_agent_relib_stats(long relibId, ByteBuffer out);

    long relib_agent_relib_allocations(long relibId, ByteBuffer buf, long cap);

    int relib_agent_relib_forget(long relibId);

    long relib_agent_relib_stub_bind(long value, byte success, String message);

    void relib_agent_relib_stub_release(long function);

    long relib_agent_relib_stub_post();
}
