package io.github.jmeterportscan.link;

import io.github.jmeterportscan.link.PacketLink.Subscription;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions a link handed out and that are still open, so that closing the link closes
 * them: a handler left subscribed would keep receiving packets meant for other links or scans.
 */
final class OpenSubscriptions {
    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();

    /** Wraps {@code inner} so that it is tracked until it (or {@link #closeAll}) closes it. */
    Subscription track(Subscription inner) {
        Subscription outer = new Subscription() {
            @Override
            public void close() {
                open.remove(this);
                inner.close();
            }
        };
        open.add(outer);
        return outer;
    }

    void closeAll() {
        for (Subscription s : List.copyOf(open)) {
            s.close();
        }
    }
}
