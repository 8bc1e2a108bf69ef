package io.github.jmeterportscan.spec;

import io.github.jmeterportscan.testsupport.Commands;
import java.time.Duration;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IPv6 text must be what the C library's inet_ntop prints, as nmap uses it. */
class AddressFormatTest {
    private static final List<String> SAMPLES = List.of("::1", "::", "2001:db8::1", "2001:db8:0:0:1:0:0:1",
            "2001:0:0:1::1", "fe80::1:2:3:4", "2001:db8:1:2:3:4:5:0", "0:0:1::", "::198.18.3.4",
            "2001:db8::", "1:0:2:0:3:0:4:0", "0:1:2:3:4:5:6:7");

    @Test
    void matchesTheCLibrarysInetNtop() throws Exception {
        Privileges.require(Commands.installed("python3"), "python3 gives us the C library's inet_ntop");
        // Python's socket.inet_ntop is a thin wrapper over the C function.
        List<String> command = new ArrayList<>(List.of("python3", "-c",
                "import socket,sys\nfor a in sys.argv[1:]: print(socket.inet_ntop(socket.AF_INET6,"
                        + " socket.inet_pton(socket.AF_INET6, a)))"));
        command.addAll(SAMPLES);
        Commands.Result libc = Commands.runAllowingFailure(Duration.ofSeconds(30), command);
        assertEquals(0, libc.exitCode(), libc.stderr());
        String[] expected = libc.stdout().split("\n");
        for (int i = 0; i < SAMPLES.size(); i++) {
            assertEquals(expected[i], AddressFormat.toNmapString(InetAddress.getByName(SAMPLES.get(i))), SAMPLES.get(i));
        }
    }
}
