package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CongestionWindowTest {
    @Test
    void slowStartGrowsByOnePerAnswerUpToTheBudget() {
        CongestionWindow window = new CongestionWindow(32, 1, 100, 3);
        for (int i = 0; i < 10; i++) {
            window.answered();
        }
        assertEquals(42, window.size());
        for (int i = 0; i < 1000; i++) {
            window.answered();
        }
        assertEquals(100, window.size());
    }

    @Test
    void oneDropPerBurstHalvesTheWindowThenGrowthIsLinear() {
        CongestionWindow window = new CongestionWindow(64, 1, 1000, 3);
        window.dropped(10, 60, 100);
        assertEquals(32, window.size());
        // A probe of the same burst (sent before the reaction) does not count again.
        window.dropped(50, 60, 120);
        assertEquals(32, window.size());
        window.dropped(150, 60, 200);
        assertEquals(16, window.size());
        // Threshold 60/1.5 = 40: slow start to 40, then about +1 per window of answers.
        for (int i = 0; i < 24; i++) {
            window.answered();
        }
        assertEquals(40, window.size());
        for (int i = 0; i < 40; i++) {
            window.answered();
        }
        assertEquals(40, window.size(), "a window of answers adds just under one");
        window.answered();
        assertEquals(41, window.size());
    }

    @Test
    void exhaustionStaysBelowWhatWasInFlight() {
        CongestionWindow window = new CongestionWindow(500, 1, 4096, 4);
        window.exhausted(100, 1);
        assertEquals(75, window.size());
        window.exhausted(1, 2);
        assertEquals(1, window.size());
    }

    @Test
    void restoreUndoesTheCutsOfLossesThatWereNoCongestion() {
        CongestionWindow window = new CongestionWindow(128, 10, 8192, 3);
        for (long t = 1; t <= 5; t++) {
            window.dropped(t * 100, 120, t * 100 + 1);
        }
        assertEquals(10, window.size());
        window.restore();
        assertEquals(128, window.size());
        // slow start again: the threshold the drops lowered is lifted
        for (int i = 0; i < 50; i++) {
            window.answered();
        }
        assertEquals(178, window.size());
    }
}
