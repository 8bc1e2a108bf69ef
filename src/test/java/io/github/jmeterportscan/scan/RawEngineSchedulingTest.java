package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.NetnsLab;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scheduling contract on the raw SYN engine. */
class RawEngineSchedulingTest extends SchedulingContract {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.of("ps-schr-", () -> NetnsLab.builder()
            .subnets("198.18.120.0/24", "2001:db8:120::/64").plan(plan()));

    @Override
    PortScanner scanner() {
        return new RawPortScanner(Links::open);
    }

    @Override
    ScanType scanType() {
        return ScanType.SYN;
    }

    @Override
    NetnsLab lab() {
        return LAB.lab();
    }

    @Override
    String[] lossSubnets() {
        return new String[] {"198.18.122.0/24", "2001:db8:122::/64", "ps-schrl-"};
    }
}
