package io.github.jmeterportscan.trace;

import java.util.List;

/**
 * One TCP option.
 *
 * @param kind   the option kind (0 end, 1 nop, 2 mss, 3 window scale, 4 SACK permitted, 5 SACK, 8 timestamps)
 * @param values its numbers: mss [1460]; wscale [7]; timestamps [tsval, tsecr]; SACK [left, right, ...]
 */
public record TcpOption(int kind, List<Long> values) {
    public static final int END = 0;
    public static final int NOP = 1;
    public static final int MSS = 2;
    public static final int WINDOW_SCALE = 3;
    public static final int SACK_PERMITTED = 4;
    public static final int SACK = 5;
    public static final int TIMESTAMPS = 8;

    public TcpOption {
        values = List.copyOf(values);
    }
}
