package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.probe.Verdict;

/**
 * A validated reply handed from the capture thread to the scan loop.
 *
 * @param host     index of the host in the job
 * @param port     the probed port
 * @param tryNo    which transmission it answers (decoded from the cookie)
 * @param verdict  what it says about the port
 * @param ttl      TTL or hop limit of the reply
 * @param nanos    System.nanoTime() when it was captured
 */
record Reply(int host, int port, int tryNo, Verdict verdict, int ttl, long nanos) {
}
