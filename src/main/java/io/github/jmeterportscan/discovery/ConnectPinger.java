package io.github.jmeterportscan.discovery;

import io.github.jmeterportscan.result.HostStatus;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery without raw access, as nmap's: a TCP connect to each port (80 and 443 by default). A
 * completed handshake says {@code syn-ack}, a refusal (the host's RST) {@code conn-refused}; both
 * mean the host is up. Anything else (no answer, an ICMP error from a router) decides nothing.
 */
final class ConnectPinger implements Pinger {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectPinger.class);

    private final List<Target> targets;
    private final List<Integer> ports;
    private final Selector selector;
    private final long[][] sent;

    ConnectPinger(List<Target> targets, List<Integer> ports) {
        this.targets = List.copyOf(targets);
        this.ports = List.copyOf(ports);
        this.sent = new long[targets.size()][ports.size()];
        for (long[] host : sent) {
            java.util.Arrays.fill(host, -1);
        }
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for connect discovery", e);
        }
    }

    @Override
    public int hosts() {
        return targets.size();
    }


    @Override
    public void send(int host, int tryNo) {
        for (int probe = 0; probe < ports.size(); probe++) {
            int port = ports.get(probe);
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                // Closing must not linger in FIN_WAIT: a RST ends the probe's connection at once.
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                InetSocketAddress address = new InetSocketAddress(targets.get(host).address(), port);
                sent[host][probe] = System.nanoTime();
                if (channel.connect(address)) {
                    channel.close();
                    pending.add(new PingAnswer(host, probe, HostStatus.up(Reason.SYN_ACK, 0), System.nanoTime(),
                            Optional.empty()));
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, new int[] {host, probe});
                }
            } catch (IOException e) {
                closeQuietly(channel);
                LOG.debug("connect probe to {} port {} failed: {}", targets.get(host).addressString(), port,
                        e.getMessage());
            }
        }
    }

    private final java.util.ArrayDeque<PingAnswer> pending = new java.util.ArrayDeque<>();

    @Override
    public long sentNanos(int host, int probe, long answerWireNanos) {
        // A connect's answer is seen by this thread after connect() returned: the call's start is the probe's.
        return sent[host][probe];
    }

    @Override
    public void awaitAnswers(long maxNanos, Consumer<PingAnswer> sink) throws InterruptedException {
        if (pending.isEmpty()) {
            try {
                if (maxNanos <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(maxNanos)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("connect discovery cannot wait for its sockets", e);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            for (SelectionKey key : selector.selectedKeys()) {
                finish(key);
            }
            selector.selectedKeys().clear();
        }
        while (!pending.isEmpty()) {
            sink.accept(pending.poll());
        }
    }

    private void finish(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        int[] probe = (int[]) key.attachment();
        int host = probe[0];
        long now = System.nanoTime();
        try {
            channel.finishConnect();
            pending.add(new PingAnswer(host, probe[1], HostStatus.up(Reason.SYN_ACK, 0), now, Optional.empty()));
        } catch (ConnectException e) {
            if (String.valueOf(e.getMessage()).contains("refused")) {
                pending.add(new PingAnswer(host, probe[1], HostStatus.up(Reason.CONN_REFUSED, 0), now, Optional.empty()));
            }
        } catch (IOException e) {
            LOG.debug("connect probe to {}: {}", targets.get(host).addressString(), e.getMessage());
        } finally {
            key.cancel();
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing a discovery socket: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        for (SelectionKey key : selector.keys()) {
            closeQuietly((SocketChannel) key.channel());
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the discovery selector: {}", e.getMessage());
        }
    }
}
