package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.NetnsLab;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scheduling contract on the connect engine. */
class ConnectEngineSchedulingTest extends SchedulingContract {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.of("ps-schc-", () -> NetnsLab.builder()
            .subnets("198.18.121.0/24", "2001:db8:121::/64").plan(plan()));

    @Override
    PortScanner scanner() {
        return new ConnectPortScanner();
    }

    @Override
    ScanType scanType() {
        return ScanType.CONNECT;
    }

    @Override
    NetnsLab lab() {
        return LAB.lab();
    }

    @Override
    String[] lossSubnets() {
        return new String[] {"198.18.123.0/24", "2001:db8:123::/64", "ps-schcl-"};
    }
}
