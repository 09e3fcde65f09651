package dev.ringmaster.bench;

import dev.ringmaster.sandbox.Sandbox;
import dev.ringmaster.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code BurstBench [answers...]}: the orchestrator's capacity alone (figure 3's second line), without a rollout
 * through Fleet before it: the sandbox with 3 clusters, then one synthetic rollout and its burst of ClusterReady per
 * argument (default 1000 10000), each printed with the raw broker rate for the same number of messages. For
 * profiling the orchestrator: {@code -Dringmaster.sandbox.jvm-options.rollout-orchestrator=-XX:StartFlightRecording=...}.
 */
public final class BurstBench {

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("ringmaster.home", "."))
                .toAbsolutePath()
                .normalize();
        String[] counts = args.length == 0 ? new String[] {"1000", "10000"} : args;
        SandboxConfig config = SandboxConfig.defaults(home)
                .withDir(home.resolve("bench/target/burst-sandbox"))
                .withPorts(SandboxConfig.Ports.free())
                .withClusters(3, 1);
        try (Sandbox s = Sandbox.start(config, System.out)) {
            for (String c : counts) {
                int n = Integer.parseInt(c);
                Map<String, Long> before = cpuTicks();
                double burst = RolloutBench.orchestratorBurst(s, n, System.out);
                Map<String, Long> after = cpuTicks();
                StringBuilder cpu = new StringBuilder("CPU during the burst (request, step, answers):");
                after.forEach((name, ticks) -> cpu.append(
                        String.format(" %s %.2f s;", name, (ticks - before.getOrDefault(name, 0L)) / 100.0)));
                System.out.println(cpu);
                double raw = RolloutBench.rawRate(s.kafkaBootstrap(), n, 500);
                System.out.printf(
                        "| %d ClusterReady | orchestrator %.0f msg/s | raw broker %.0f msg/s | %.1f %% |%n",
                        n, burst, raw, 100 * burst / raw);
            }
        }
        System.exit(0);
    }

    /**
     * CPU time (user + system, in clock ticks of 1/100 s) of this JVM's child processes by what they are: the five
     * services, Kafka, PostgreSQL (all its processes), and this driver itself.
     */
    static Map<String, Long> cpuTicks() {
        Map<String, Long> ticks = new TreeMap<>();
        ticks.put("driver", ticks(ProcessHandle.current().pid()));
        ProcessHandle.current().descendants().forEach(p -> {
            String cmd = p.info().commandLine().orElse("");
            String name = cmd.contains("kafka.Kafka")
                    ? "kafka"
                    : cmd.contains("postgres")
                            ? "postgres"
                            : java.util.stream.Stream.of(
                                            "catalog-service",
                                            "rollout-orchestrator",
                                            "git-committer",
                                            "fleet-watcher",
                                            "notifier")
                                    .filter(cmd::contains)
                                    .findFirst()
                                    .orElse(null);
            if (name != null) {
                ticks.merge(name, ticks(p.pid()), Long::sum);
            }
        });
        return ticks;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (Exception e) {
            return 0; // the process ended
        }
    }

    private BurstBench() {}
}
