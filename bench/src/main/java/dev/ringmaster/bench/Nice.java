package dev.ringmaster.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * On request ({@code -Dringmaster.bench.fleet-nice=10}), lowers the CPU priority of this JVM, the driver, in which
 * the simulated Fleet runs. On a real installation Fleet's manager and agents run on machines of their own; here they
 * share two cores with every Ringmaster process and take half of the CPU of a 10,000-cluster rollout. At a lower
 * priority the simulator still takes every cycle the services leave, but they get the CPU first, as they would beside
 * a real Fleet. Off by default: the figures are for everything on one machine at one priority. Session 7 measured
 * both (bench/README.md).
 *
 * <p>Linux: the nice value belongs to each thread, and a thread started later inherits it from the thread that
 * starts it, so every thread of the process is reniced once. wrk, started by the driver afterwards, inherits it too.
 */
final class Nice {

    /** The niceness the driver takes, from {@code -Dringmaster.bench.fleet-nice} (0, the default: leave it). */
    static int configured() {
        return Integer.getInteger("ringmaster.bench.fleet-nice", 0);
    }

    /**
     * Renices every thread of this process to {@code niceness}.
     *
     * @return what the run's table says about the simulated Fleet's priority
     */
    static String lower(int niceness, PrintStream log) {
        if (niceness == 0) {
            return "the services' (not lowered)";
        }
        List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(niceness), "-p"));
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.map(t -> t.getFileName().toString()).forEach(command::add);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                log.println(
                        "could not lower the driver's priority (the simulated Fleet runs at the services'): " + out);
                return "the services' (renice failed)";
            }
        } catch (IOException e) {
            log.println("could not lower the driver's priority (the simulated Fleet runs at the services'): " + e);
            return "the services' (no renice here)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the services' (interrupted)";
        }
        log.printf("the driver (the simulated Fleet) now runs at nice %d%n", niceness);
        return "nice " + niceness + " (the driver, from the warm-up on)";
    }

    private Nice() {}
}
