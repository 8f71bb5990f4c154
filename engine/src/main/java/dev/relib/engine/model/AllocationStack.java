package dev.relib.engine.model;

import java.util.List;

/**
 * A call stack recorded at allocation time, for modules loaded with stacks.
 *
 * @param id     what {@link LiveBlock#stackId()} refers to; blocks allocated along the same path share it
 * @param frames return addresses, innermost first, starting in the module code that called the
 *               allocator; a call's own line is at its return address - 1
 */
public record AllocationStack(int id, List<Long> frames) {

    public AllocationStack {
        frames = List.copyOf(frames);
    }
}
