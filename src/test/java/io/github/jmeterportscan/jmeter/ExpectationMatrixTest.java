package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.ServiceTable;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpectationMatrixTest {
    private static ExpectationMatrix parse(String text) throws ScanSpecException {
        return ExpectationMatrix.parse(text, ServiceTable.system());
    }

    private static String expected(ExpectationMatrix m, int port) {
        return m.expectationFor(port).map(ExpectedStates::toString).orElse("-");
    }

    @Test
    void theDocumentedExampleWithExceptAndLaterEntriesWinning() throws Exception {
        ExpectationMatrix m = parse("443=open, 22=filtered, 1-1024 except 443=closed|filtered");
        assertEquals("open", expected(m, 443), "except keeps 443 out of the last entry");
        assertEquals("closed|filtered", expected(m, 22), "the later range entry overrides 22=filtered");
        assertEquals("closed|filtered", expected(m, 1));
        assertEquals("closed|filtered", expected(m, 1024));
        assertEquals("-", expected(m, 1025), "ports no entry names carry no expectation");
        assertTrue(m.accepts(1025, PortState.OPEN));
        assertTrue(m.accepts(22, PortState.FILTERED));
        assertFalse(m.accepts(22, PortState.OPEN));
    }

    @Test
    void aBareStateListNamesEveryPortAndPrecedenceIsLeftToRight() throws Exception {
        ExpectationMatrix defaultFirst = parse("closed, 443=open");
        assertEquals("open", expected(defaultFirst, 443));
        assertEquals("closed", expected(defaultFirst, 0));
        assertEquals("closed", expected(defaultFirst, 65535));
        ExpectationMatrix defaultLast = parse("443=open; closed");
        assertEquals("closed", expected(defaultLast, 443), "a later bare list overrides every port");
        assertEquals("open", expected(parse("open"), 8080));
    }

    @Test
    void commasInsideAPortListStayWithThatEntry() throws Exception {
        ExpectationMatrix m = parse("22,80-81=open,443=closed\n8443 = filtered | closed");
        assertEquals("open", expected(m, 22));
        assertEquals("open", expected(m, 80));
        assertEquals("open", expected(m, 81));
        assertEquals("closed", expected(m, 443));
        assertEquals("closed|filtered", expected(m, 8443));
        assertEquals("-", expected(m, 79));
    }

    @Test
    void serviceNamesAndProtocolPrefixesAreNmapPortSyntax() throws Exception {
        ExpectationMatrix m = parse("T:ssh=filtered, https=open");
        assertEquals("filtered", expected(m, 22));
        assertEquals("open", expected(m, 443));
    }

    @Test
    void compoundNmapStatesReadAsAlternatives() throws Exception {
        ExpectedStates states = ExpectedStates.parse("open|filtered");
        assertTrue(states.matches(PortState.OPEN));
        assertTrue(states.matches(PortState.FILTERED));
        assertTrue(states.matches(PortState.OPEN_FILTERED));
        assertFalse(states.matches(PortState.CLOSED));
        assertFalse(states.matches(PortState.CLOSED_FILTERED));
        assertTrue(ExpectedStates.parse("Closed | FILTERED").matches(PortState.CLOSED_FILTERED));
    }

    @Test
    void emptyTextExpectsNothing() throws Exception {
        assertTrue(parse("").isEmpty());
        assertTrue(parse("  \n ").isEmpty());
        assertEquals(Optional.empty(), parse("").expectationFor(22));
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("Unknown port state \"opn\" in \"opn\"; use open, closed, filtered or unfiltered, alternatives joined by |",
                assertThrows(ScanSpecException.class, () -> parse("22=opn")).getMessage());
        assertEquals("Ports \"22\" have no expected state; write 22=open (or another state)",
                assertThrows(ScanSpecException.class, () -> parse("22")).getMessage());
        assertEquals("No state after \"22=\" in the expected states",
                assertThrows(ScanSpecException.class, () -> parse("22=")).getMessage());
        assertEquals("No ports before \"=open\" in the expected states",
                assertThrows(ScanSpecException.class, () -> parse("=open")).getMessage());
        // nmap's own message for the port list
        assertEquals("Bad ports \"70000\" in the expected states: Ports specified must be between 0 and 65535 inclusive",
                assertThrows(ScanSpecException.class, () -> parse("70000=open")).getMessage());
        assertThrows(ScanSpecException.class, () -> parse("1-10 except 2 except 3=open"));
    }
}
