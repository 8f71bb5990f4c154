package dev.relib.engine.agent;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Type;
import dev.relib.engine.loader.DynamicLinker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A sample module opened with libc's dlopen, whose exports take and return 64-bit integers. */
record LoadedModule(DynamicLinker linker, Path path, long handle) {

    static LoadedModule open(DynamicLinker linker, Path path) {
        return new LoadedModule(linker, path, linker.open(path));
    }

    /** Calls {@code name(args...) -> u64}; integer and pointer arguments only. */
    long call(String name, long... args) {
        long address = linker.symbol(handle, name);
        if (address == 0) {
            throw new IllegalArgumentException(path + " has no export " + name);
        }
        Type[] types = new Type[args.length];
        Arrays.fill(types, Type.UINT64);
        CallContext context = CallContext.getCallContext(Type.UINT64, types, CallingConvention.DEFAULT, false);
        Invoker invoker = Invoker.getInstance();
        return switch (args.length) {
            case 0 -> invoker.invokeN0(context, address);
            case 1 -> invoker.invokeN1(context, address, args[0]);
            case 2 -> invoker.invokeN2(context, address, args[0], args[1]);
            case 3 -> invoker.invokeN3(context, address, args[0], args[1], args[2]);
            default -> throw new IllegalArgumentException("at most 3 arguments");
        };
    }

    /** The unload order documented on {@link Agent}, for a module whose threads have ended. */
    void unload(Agent agent, int id) {
        agent.runTlsDestructors(id);
        agent.runKeyDestructorsAndDelete(id);
        agent.disableTlsDestructors(id);
        agent.freeBlocks(id);
        agent.unmapMappings(id);
        agent.detach(id);
        String error = linker.close(handle);
        if (error != null) {
            throw new IllegalStateException("dlclose " + path + ": " + error);
        }
        agent.forget(id);
    }

    /** Whether any mapping of this file is left in /proc/self/maps. */
    boolean stillMapped() {
        try {
            String file = path.toRealPath().toString();
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(line -> line.endsWith(" " + file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
