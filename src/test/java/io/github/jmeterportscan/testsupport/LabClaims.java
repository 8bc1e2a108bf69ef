package io.github.jmeterportscan.testsupport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * What keeps two test runs on one machine (two developers' builds, a build and CI) from
 * clobbering each other's labs:
 * <ul>
 * <li>a lab's address block is claimed with an exclusive file lock for as long as the lab lives; a
 * second process that wants the same block waits for it (bounded), so the two never share it;</li>
 * <li>each namespace records the process that owns it, and leftovers are removed only when their
 * owner is gone;</li>
 * <li>the lab ranges 198.18.0.0/15 and 2001:db8::/32 are unreachable in the root namespace except
 * through a lab's own, more specific routes, so a probe toward a lab that vanished fails at once
 * instead of leaving by the default route.</li>
 * </ul>
 */
final class LabClaims {
    private static final Path DIRECTORY = Path.of("/run/ps-labs");
    private static final Duration WAIT_FOR_BLOCK = Duration.ofMinutes(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private LabClaims() {
    }

    /** Waits until this process holds the block's lock; close the result to release it. */
    static FileChannel claimBlock(String cidr) {
        Path lockFile = DIRECTORY.resolve(cidr.replace('/', '_').replace(':', '-') + ".lock");
        long deadline = System.nanoTime() + WAIT_FOR_BLOCK.toNanos();
        try {
            Files.createDirectories(DIRECTORY);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return channel;
                }
                if (System.nanoTime() > deadline) {
                    channel.close();
                    throw new LabException("the lab block " + cidr + " stayed in use by another process for "
                            + WAIT_FOR_BLOCK.toMinutes() + " minutes (" + lockFile + ")");
                }
                Thread.sleep(200);
            }
        } catch (IOException e) {
            throw new LabException("cannot claim the lab block " + cidr + " (" + lockFile + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the lab block " + cidr, e);
        }
    }

    /** Records this process as the owner of {@code namespace}. */
    static void own(String namespace) {
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(ownerFile(namespace), Long.toString(ProcessHandle.current().pid()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LabException("cannot record the owner of " + namespace + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the owner of a namespace that is gone. */
    static void disown(String namespace) {
        try {
            Files.deleteIfExists(ownerFile(namespace));
        } catch (IOException e) {
            // A stale owner file names a dead process, which makes the namespace a leftover: harmless.
        }
    }

    /** Whether a live process (this one included) owns {@code namespace}. */
    static boolean ownedByLiveProcess(String namespace) {
        Optional<Long> owner;
        try {
            owner = Optional.of(Long.parseLong(Files.readString(ownerFile(namespace)).strip()));
        } catch (IOException | NumberFormatException e) {
            owner = Optional.empty();
        }
        return owner.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Makes the lab ranges unreachable but through labs' own routes; idempotent. */
    static void blockLabRangesOutsideLabs() {
        Commands.runAllowingFailure(COMMAND_TIMEOUT,
                java.util.List.of("ip", "route", "replace", "unreachable", "198.18.0.0/15"));
        Commands.runAllowingFailure(COMMAND_TIMEOUT,
                java.util.List.of("ip", "-6", "route", "replace", "unreachable", "2001:db8::/32"));
    }

    private static Path ownerFile(String namespace) {
        return DIRECTORY.resolve(namespace + ".owner");
    }
}
