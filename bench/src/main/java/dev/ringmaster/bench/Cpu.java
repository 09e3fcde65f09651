package dev.ringmaster.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where the machine's CPU went: per process of the sandbox, from /proc (Linux). */
final class Cpu {

    /**
     * CPU time (user + system, in clock ticks of 1/100 s) of this JVM's child processes by what they are: the five
     * services, Kafka, PostgreSQL (all its processes), and this driver itself (the simulated Fleet runs in it).
     */
    static Map<String, Long> ticks() {
        Map<Long, String> what = new HashMap<>();
        ProcessHandle.current().descendants().forEach(p -> {
            String cmd = commandLine(p.pid());
            String name = cmd.contains("kafka.Kafka")
                    ? "kafka"
                    : Stream.of("catalog-service", "rollout-orchestrator", "git-committer", "fleet-watcher", "notifier")
                            .filter(cmd::contains)
                            .findFirst()
                            .orElse(null);
            if (name != null) {
                what.put(p.pid(), name);
            }
        });
        // the embedded PostgreSQL daemonizes (its parent is not this JVM): its postmaster names the sandbox's data
        // directory, its backends are the postmaster's children
        ProcessHandle.allProcesses()
                .filter(p -> commandLine(p.pid()).contains("/run/postgres/"))
                .forEach(pm -> {
                    what.put(pm.pid(), "postgres");
                    pm.descendants().forEach(b -> what.put(b.pid(), "postgres"));
                });
        Map<String, Long> ticks = new TreeMap<>();
        // with the simulated Fleet (in this JVM) and wrk's finished runs (a reaped child's time is its parent's)
        ticks.put("driver", ticks(ProcessHandle.current().pid(), true));
        what.forEach((pid, name) -> ticks.merge(name, ticks(pid, false), Long::sum));
        return ticks;
    }

    /** /proc's command line: ProcessHandle's is empty for a command line as long as a classpath. */
    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (Exception e) {
            return "";
        }
    }

    private static long ticks(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            return withReapedChildren ? own + Long.parseLong(f[13]) + Long.parseLong(f[14]) : own; // cutime, cstime
        } catch (Exception e) {
            return 0; // the process ended
        }
    }

    /** Seconds of CPU each process used between two readings, e.g. "catalog-service 1.20 s; driver 0.50 s". */
    static String since(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(e -> String.format(
                        "%s %.1f s", e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 100.0))
                .collect(Collectors.joining("; "));
    }

    private Cpu() {}
}
