package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Expectation;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.LabLayouts;
import io.github.jmeterportscan.testsupport.NetnsLab;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reply counts only when it proves, by its cookie, to answer one of this scan's probes. While
 * concurrent scans run from fixed, known source ports (-g), the target itself floods those ports
 * with RST, RST-ACK and SYN-ACK segments from every scanned port, with random sequence and
 * acknowledgement numbers (wrong cookies, as a stale reply to an earlier scan or a reply meant
 * for another scan's port also has). Dropped ports must stay filtered/no-response and every other
 * port keep its true state.
 */
class ForgedRepliesLabTest {
    private static final int SCANNERS = 6;
    private static final int SCANS_PER_SCANNER = 4;
    private static final int FIRST_SOURCE_PORT = 45000;
    /** Sends forged segments until killed, to the scanner address and ports given as arguments. */
    private static final String FLOODER = String.join("\n",
            "import random, socket, struct, sys",
            "src, dst = sys.argv[1], sys.argv[2]",
            "sports = [int(p) for p in sys.argv[3].split(',')]",
            "dports = [int(p) for p in sys.argv[4].split(',')]",
            "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)",
            "def csum(b):",
            "    if len(b) % 2: b += b'\\0'",
            "    t = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
            "    while t >> 16: t = (t & 0xffff) + (t >> 16)",
            "    return ~t & 0xffff",
            "pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, 6, 20)",
            "print('READY', flush=True)",
            "while True:",
            "    sport = random.choice(sports); dport = random.choice(dports)",
            "    flags = random.choice((0x04, 0x14, 0x12))",
            "    seq = random.getrandbits(32); ack = random.getrandbits(32)",
            "    h = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 1024, 0, 0)",
            "    h = h[:16] + struct.pack('!H', csum(pseudo + h)) + h[18:]",
            "    try:",
            "        s.sendto(h, (dst, 0))",
            "    except OSError:",
            "        pass",
            "");

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of("ps-forge-", () -> NetnsLab.builder()
            .subnets("198.18.64.0/24", "2001:db8:64::/64").plan(LabLayouts.standard()));

    @Test
    void forgedAndStaleRepliesChangeNoPort() throws Exception {
        InetAddress target = LAB.lab().target(IpFamily.V4);
        Map<Integer, Expectation> expected = LAB.lab().plan().expected(ScanType.SYN, IpFamily.V4);
        PortSet ports = PortSet.of(expected.keySet().stream().mapToInt(Integer::intValue).toArray());
        StringBuilder sourcePorts = new StringBuilder();
        for (int s = 0; s < SCANNERS; s++) {
            sourcePorts.append(s == 0 ? "" : ",").append(FIRST_SOURCE_PORT + s);
        }
        String targetPorts = String.join(",", expected.keySet().stream().map(String::valueOf).toList());
        List<String> command = new ArrayList<>(LAB.lab().commandPrefix());
        command.addAll(List.of("python3", "-c", FLOODER, target.getHostAddress(),
                LAB.lab().hostAddress(IpFamily.V4).getHostAddress(), targetPorts, sourcePorts.toString()));
        Process flooder = Commands.start(new ProcessBuilder(command).redirectErrorStream(true));
        List<String> wrong = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(SCANNERS);
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(flooder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("READY", output.readLine(), "the flooder starts in the namespace");
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int s = 0; s < SCANNERS; s++) {
                int sourcePort = FIRST_SOURCE_PORT + s;
                runs.add(pool.submit(() -> scanRepeatedly(target, ports, sourcePort, expected)));
            }
            for (Future<List<String>> run : runs) {
                wrong.addAll(run.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            flooder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong ports under a flood of forged replies: " + wrong);
    }

    private static List<String> scanRepeatedly(InetAddress target, PortSet ports, int sourcePort,
            Map<Integer, Expectation> expected) throws Exception {
        ScanJob job = new ScanJob(List.of(Target.of(target)), ports, ScanType.SYN,
                ScanJobs.fixedTimeout(Duration.ofMillis(150), 1), true, OptionalInt.of(sourcePort), Optional.empty(),
                false);
        return LabScans.wrongPorts(job, expected, SCANS_PER_SCANNER);
    }
}
