package dev.ringmaster.fleetsim;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone: {@code java -cp fleet-sim.jar:... dev.ringmaster.fleetsim.FleetSimMain [options]}.
 *
 * <pre>
 *   --port N            API server port (default 6443; 0: any)
 *   --clusters N        simulated clusters, named cluster-000.. (default 30)
 *   --rings N           rings the clusters are spread over, label ring=&lt;n&gt; (default 3)
 *   --workspace NS      Fleet workspace (default fleet-default)
 *   --poll DURATION     how often GitRepos are polled, ISO-8601 (default PT1S)
 *   --apply-delay D     agent delay before applying (default PT0S)
 *   --ready-delay D     delay from applied to ready (default PT0S)
 *   --git-user U --git-password P   credentials for the Git server
 *   --workers N                     BundleDeployments written / reported at once (default 8)
 *   --delay-spread S                fixed | uniform | exponential: how delays spread over the clusters
 * </pre>
 */
public final class FleetSimMain {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        int port = Integer.parseInt(opts.getOrDefault("port", "6443"));
        int clusters = Integer.parseInt(opts.getOrDefault("clusters", "30"));
        int rings = Integer.parseInt(opts.getOrDefault("rings", "3"));
        FleetSimulator.Config config = new FleetSimulator.Config(
                opts.getOrDefault("workspace", "fleet-default"),
                Duration.parse(opts.getOrDefault("poll", "PT1S")),
                Duration.parse(opts.getOrDefault("apply-delay", "PT0S")),
                Duration.parse(opts.getOrDefault("ready-delay", "PT0S")),
                Files.createTempDirectory("fleet-sim-git"),
                opts.get("git-user"),
                opts.get("git-password"),
                Integer.parseInt(opts.getOrDefault("workers", String.valueOf(FleetSimulator.Config.DEFAULT_WORKERS))),
                Spread.parse(opts.getOrDefault("delay-spread", "fixed")));
        FleetSimulator sim = FleetSimulator.start(config, port);
        for (int i = 0; i < clusters; i++) {
            sim.addCluster(String.format("cluster-%03d", i), Map.of("ring", String.valueOf(i % rings)));
        }
        sim.runInBackground();
        System.out.printf(
                "fleet-sim: Kubernetes API at %s, workspace %s, %d clusters on %d rings%n",
                sim.apiUrl(), config.workspace(), clusters, rings);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stop.countDown();
        }));
        stop.await();
    }

    private FleetSimMain() {}
}
