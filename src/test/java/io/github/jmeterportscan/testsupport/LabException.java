package io.github.jmeterportscan.testsupport;

/**
 * A lab could not be built, used or torn down: a command failed, timed out or printed something
 * unexpected. The message names the command and carries its stderr so the cause is visible in
 * the test report without re-running anything.
 */
public class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
