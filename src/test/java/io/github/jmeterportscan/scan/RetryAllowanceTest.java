package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.spec.Timing;
import io.github.jmeterportscan.spec.TimingOptions;
import io.github.jmeterportscan.spec.TimingTemplate;
import org.junit.jupiter.api.Test;

class RetryAllowanceTest {
    private static final Timing DEFAULT = new TimingOptions().build();
    private static final Timing T4 = new TimingOptions().applyTemplate(TimingTemplate.AGGRESSIVE).build();

    @Test
    void withoutAnsweredRetransmissionsItIsNmapsAllowedTryno() {
        RetryAllowance allowance = new RetryAllowance(DEFAULT, 1000);
        assertEquals(2, allowance.sends(), "one retry to begin with");
        for (int i = 0; i < 500; i++) {
            allowance.answered(0, true, false);
        }
        assertEquals(2, allowance.sends());
        // a port that was already decided answering a retransmission: nmap's max_successful_tryno
        assertTrue(allowance.answered(3, false, false));
        assertEquals(5, allowance.sends(), "one more than the latest try ever answered");
        assertTrue(!allowance.lossSeen(), "no port needed a retry for its first answer");
    }

    @Test
    void icmpErrorsToRetransmissionsAreNoEvidence() {
        RetryAllowance allowance = new RetryAllowance(DEFAULT, 100);
        allowance.answered(0, true, true);
        assertTrue(!allowance.answered(4, true, true));
        assertEquals(2, allowance.sends());
    }

    @Test
    void fortyPercentLossEachWayGetsEnoughTriesPastNmapsDefaultCap() {
        // 303 ports, 295 answering: at 0.36 per try about 64% of them need more than one try
        int later = 189;
        int answered = 295;
        RetryAllowance allowance = new RetryAllowance(DEFAULT, 303);
        for (int i = 0; i < answered; i++) {
            allowance.answered(i < later ? 1 : 0, true, false);
        }
        int sends = allowance.sends();
        assertTrue(sends > 11, "past nmap's 10 retries: " + sends);
        // the model's promise, checked at the true loss: under 0.01 answering ports lost per scan
        assertTrue(answered * Math.pow(0.64, sends) < RetryAllowance.WRONG_PORTS_PER_SCAN,
                sends + " sends leave " + answered * Math.pow(0.64, sends));
        assertTrue(sends <= 30, "no more than the loss calls for: " + sends);

        RetryAllowance capped = new RetryAllowance(T4, 303);
        for (int i = 0; i < answered; i++) {
            capped.answered(i < later ? 1 : 0, true, false);
        }
        assertEquals(7, capped.sends(), "-T4's --max-retries 6 stays a cap");
        assertEquals(7, RetryAllowance.maxSends(T4));
        assertEquals(64, RetryAllowance.maxSends(DEFAULT));
    }

    @Test
    void fewerAnswersAtTheSameShareCallForMoreTries() {
        int big = RetryAllowance.lossRetries(60, 100, 10, 63);
        int small = RetryAllowance.lossRetries(6, 10, 10, 63);
        assertTrue(small > big, "a share seen in 10 ports is less certain than in 100: " + small + " vs " + big);
        // the posterior probability of all sends lost is below the bound at the answer, not before
        int retries = RetryAllowance.lossRetries(60, 100, 10, 63);
        assertTrue(allLost(60, 100, retries + 1) <= 0.001 && allLost(60, 100, retries) > 0.001);
        assertEquals(63, RetryAllowance.lossRetries(1, 1, 10, 63), "one port, and it needed a retry: the cap");
    }

    private static double allLost(int later, int answered, int sends) {
        double p = 1;
        for (int j = 0; j < sends; j++) {
            p *= (later + 1.0 + j) / (answered + 2.0 + j);
        }
        return p;
    }
}
