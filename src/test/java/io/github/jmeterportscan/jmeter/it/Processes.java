package io.github.jmeterportscan.jmeter.it;

import java.util.concurrent.TimeUnit;

/** Ends a process the tests started, and whatever it started, politely first. */
final class Processes {
    private Processes() {
    }

    static void stop(Process process) {
        if (process == null) {
            return;
        }
        var children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
