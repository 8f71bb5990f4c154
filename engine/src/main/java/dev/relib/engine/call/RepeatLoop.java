package dev.relib.engine.call;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.Invoker;

/**
 * The call loops behind {@code call --repeat N}. Each loop converts nothing and allocates nothing:
 * arguments are unpacked into locals once, and only the last return value is kept.
 */
final class RepeatLoop {

    private static final Invoker INVOKER = Invoker.getInstance();

    private RepeatLoop() {
    }

    /** Up to six integer arguments of at most 32 bits, returning such an integer or nothing. */
    static long ints(CallContext context, long function, long[] slots, int repeat) {
        int a = slots.length > 0 ? (int) slots[0] : 0;
        int b = slots.length > 1 ? (int) slots[1] : 0;
        int c = slots.length > 2 ? (int) slots[2] : 0;
        int d = slots.length > 3 ? (int) slots[3] : 0;
        int e = slots.length > 4 ? (int) slots[4] : 0;
        int f = slots.length > 5 ? (int) slots[5] : 0;
        int result = 0;
        switch (slots.length) {
            case 0 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeI0(context, function);
                }
            }
            case 1 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeI1(context, function, a);
                }
            }
            case 2 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeI2(context, function, a, b);
                }
            }
            case 3 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeI3(context, function, a, b, c);
                }
            }
            case 4 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeI4(context, function, a, b, c, d);
                }
            }
            case 5 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeI5(context, function, a, b, c, d, e);
                }
            }
            case 6 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeI6(context, function, a, b, c, d, e, f);
                }
            }
            default -> throw new IllegalArgumentException("the int path takes at most 6 arguments");
        }
        return result;
    }

    /**
     * Up to six arguments of any one-register type. Floats travel as their raw bits: jffi hands
     * libffi a pointer to each 64-bit slot, and libffi reads the float from its low bytes.
     */
    static long longs(CallContext context, long function, long[] slots, int repeat) {
        long a = slots.length > 0 ? slots[0] : 0;
        long b = slots.length > 1 ? slots[1] : 0;
        long c = slots.length > 2 ? slots[2] : 0;
        long d = slots.length > 3 ? slots[3] : 0;
        long e = slots.length > 4 ? slots[4] : 0;
        long f = slots.length > 5 ? slots[5] : 0;
        long result = 0;
        switch (slots.length) {
            case 0 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeN0(context, function);
                }
            }
            case 1 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeN1(context, function, a);
                }
            }
            case 2 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeN2(context, function, a, b);
                }
            }
            case 3 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeN3(context, function, a, b, c);
                }
            }
            case 4 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeN4(context, function, a, b, c, d);
                }
            }
            case 5 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeN5(context, function, a, b, c, d, e);
                }
            }
            case 6 -> {
                for (int i = 0; i < repeat; i++) {
                    result = INVOKER.invokeN6(context, function, a, b, c, d, e, f);
                }
            }
            default -> throw new IllegalArgumentException("the long path takes at most 6 arguments");
        }
        return result;
    }

    /**
     * Any signature: libffi reads each argument from {@code slotAddresses} and writes the return
     * value (a struct too) to {@code returnBlock}.
     */
    static void byAddress(CallContext context, long function, long returnBlock, long[] slotAddresses, int repeat) {
        for (int i = 0; i < repeat; i++) {
            INVOKER.invoke(context, function, returnBlock, slotAddresses);
        }
    }
}
