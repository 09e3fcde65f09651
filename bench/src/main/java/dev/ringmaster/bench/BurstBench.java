package dev.ringmaster.bench;

import dev.ringmaster.sandbox.Sandbox;
import dev.ringmaster.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.util.Map;

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
                Map<String, Long> before = Cpu.ticks();
                double burst = RolloutBench.orchestratorBurst(s, n, System.out);
                Map<String, Long> after = Cpu.ticks();
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

    private BurstBench() {}
}
