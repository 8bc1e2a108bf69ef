package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.PortSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How nmap 7.93 splits one host's ports between the port table and the "Not shown" summary
 * ({@code <extraports>} in XML), so all three writers agree.
 *
 * <p>A state is summarised ("ignored") when it has more than 25 ports, 25 × (verbosity + 1) with
 * -v. {@code open} is never summarised, nor {@code open|filtered} from -vvv on. With --open every
 * state that is neither open|filtered nor unfiltered is summarised whatever its size. Summarised
 * states come largest first (ties: nmap's lower state number first), and within a state the
 * reasons come in the order nmap's list sort leaves them.
 */
final class PortSummary {
    private static final int MAX_SHOWN_PER_STATE = 25;

    private final List<IgnoredState> ignored;
    private final List<PortResult> shown;
    private final int total;

    private PortSummary(List<IgnoredState> ignored, List<PortResult> shown, int total) {
        this.ignored = List.copyOf(ignored);
        this.shown = List.copyOf(shown);
        this.total = total;
    }

    /** One summarised state with its ports grouped by reason. */
    record IgnoredState(PortState state, int count, List<ReasonGroup> reasons) {
        IgnoredState {
            reasons = List.copyOf(reasons);
        }
    }

    /** The ports of one summarised state that share a reason. */
    record ReasonGroup(Reason reason, PortSet ports) {
        int count() {
            return ports.size();
        }
    }

    static PortSummary of(HostResult host, int verbosity, boolean openOnly) {
        Map<PortState, Integer> counts = host.countByState();
        Map<PortState, Boolean> isIgnored = new EnumMap<>(PortState.class);
        for (PortState state : PortState.values()) {
            isIgnored.put(state, ignores(state, counts.getOrDefault(state, 0), verbosity, openOnly));
        }
        List<PortResult> shown = new ArrayList<>();
        for (PortResult port : host.ports()) {
            if (!isIgnored.get(port.state())) {
                shown.add(port);
            }
        }
        List<IgnoredState> ignored = new ArrayList<>();
        for (PortState state : ignoredOrder(isIgnored, counts)) {
            ignored.add(new IgnoredState(state, counts.get(state), reasonGroups(host, state)));
        }
        return new PortSummary(ignored, shown, host.ports().size());
    }

    private static boolean ignores(PortState state, int count, int verbosity, boolean openOnly) {
        if (state == PortState.OPEN) {
            return false;
        }
        if (state == PortState.OPEN_FILTERED && verbosity > 2) {
            return false;
        }
        if (openOnly && state != PortState.OPEN_FILTERED && state != PortState.UNFILTERED && count > 0) {
            return true;
        }
        int max = MAX_SHOWN_PER_STATE * (verbosity > 0 ? verbosity + 1 : 1);
        return count > max;
    }

    /** Largest first; on equal counts the state with the lower nmap number first. */
    private static List<PortState> ignoredOrder(Map<PortState, Boolean> isIgnored, Map<PortState, Integer> counts) {
        List<PortState> order = new ArrayList<>();
        for (PortState state : PortState.values()) {
            if (isIgnored.get(state) && counts.getOrDefault(state, 0) > 0) {
                order.add(state);
            }
        }
        order.sort((a, b) -> {
            int byCount = Integer.compare(counts.get(b), counts.get(a));
            return byCount != 0 ? byCount : Integer.compare(nmapStateNumber(a), nmapStateNumber(b));
        });
        return order;
    }

    /** nmap's internal state numbers (portlist.h), which break ties between equal counts. */
    private static int nmapStateNumber(PortState state) {
        return switch (state) {
            case CLOSED -> 1;
            case OPEN -> 2;
            case FILTERED -> 3;
            case UNFILTERED -> 6;
            case OPEN_FILTERED -> 7;
            case CLOSED_FILTERED -> 8;
        };
    }

    /**
     * Groups in first-seen (ascending port) order, then sorted the way nmap sorts its reason list:
     * a bottom-up linked-list merge sort by count, descending, that on equal counts takes the
     * element from the right-hand run first. That makes tie order depend on the list's history,
     * so it is reproduced step by step rather than with a stable sort. nmap's list also starts with
     * an empty placeholder node, which takes part in the sort and is dropped afterwards.
     */
    private static List<ReasonGroup> reasonGroups(HostResult host, PortState state) {
        Map<Reason, List<Integer>> byReason = new java.util.LinkedHashMap<>();
        for (PortResult port : host.ports()) {
            if (port.state() == state) {
                byReason.computeIfAbsent(port.reason(), r -> new ArrayList<>()).add(port.port());
            }
        }
        Node head = new Node(null, 0);
        Node tail = head;
        for (Map.Entry<Reason, List<Integer>> entry : byReason.entrySet()) {
            tail.next = new Node(new ReasonGroup(entry.getKey(),
                    PortSet.of(entry.getValue().stream().mapToInt(Integer::intValue).toArray())),
                    entry.getValue().size());
            tail = tail.next;
        }
        List<ReasonGroup> groups = new ArrayList<>();
        for (Node n = mergeSort(head); n != null; n = n.next) {
            if (n.count > 0) {
                groups.add(n.group);
            }
        }
        return groups;
    }

    private static final class Node {
        final ReasonGroup group;
        final int count;
        Node next;

        Node(ReasonGroup group, int count) {
            this.group = group;
            this.count = count;
        }
    }

    private static Node mergeSort(Node list) {
        for (int runLength = 1; ; runLength *= 2) {
            Node p = list;
            list = null;
            Node tail = null;
            int merges = 0;
            while (p != null) {
                merges++;
                Node q = p;
                int pSize = 0;
                for (int i = 0; i < runLength && q != null; i++) {
                    pSize++;
                    q = q.next;
                }
                int qSize = runLength;
                while (pSize > 0 || (qSize > 0 && q != null)) {
                    Node e;
                    if (pSize == 0) {
                        e = q;
                        q = q.next;
                        qSize--;
                    } else if (qSize == 0 || q == null) {
                        e = p;
                        p = p.next;
                        pSize--;
                    } else if (q.count < p.count) {
                        e = p;
                        p = p.next;
                        pSize--;
                    } else {
                        e = q;
                        q = q.next;
                        qSize--;
                    }
                    if (tail == null) {
                        list = e;
                    } else {
                        tail.next = e;
                    }
                    tail = e;
                }
                p = q;
            }
            tail.next = null;
            if (merges <= 1) {
                return list;
            }
        }
    }

    List<IgnoredState> ignored() {
        return ignored;
    }

    /** Ports that get a row of their own, ascending. */
    List<PortResult> shown() {
        return shown;
    }

    int ignoredCount() {
        int count = 0;
        for (IgnoredState state : ignored) {
            count += state.count();
        }
        return count;
    }

    boolean allIgnored() {
        return ignoredCount() == total;
    }

    int total() {
        return total;
    }

    /** Grepable output names a summarised state only when there is exactly one. */
    boolean hasSingleIgnoredState() {
        return ignored.size() == 1;
    }
}
