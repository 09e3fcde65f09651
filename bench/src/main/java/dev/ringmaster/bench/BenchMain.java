package dev.ringmaster.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * {@code java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' dev.ringmaster.bench.BenchMain
 * [clusters...]}: one whole-system run per cluster count (default 100 1000), each printed as a Markdown table and
 * appended to bench/results/runs.md.
 */
public final class BenchMain {

    /**
     * The services' JVM options unless given ({@code -Dringmaster.sandbox.jvm-options.<service>}): sized as a
     * large fleet needs (docs/operations.md) rather than the sandbox's laptop default of {@code -Xmx256m} on the
     * serial collector, at every ring size alike. At 1,000 clusters × 10 services a 256 MB fleet-watcher holds
     * 10,000 BundleDeployments in a nearly full heap and paused every half second, 30–150 ms, once 482 ms (GC log,
     * session 9), its answers waiting behind each pause; at 10,000 clusters its serial collections paused up to
     * 4.8 s (session 8). The orchestrator's young generation holds the answers in flight.
     */
    static final Map<String, String> SERVICE_JVM_OPTIONS = Map.of(
            "fleet-watcher", "-Xmx3g -XX:-UseSerialGC -XX:+UseG1GC",
            "rollout-orchestrator", "-Xmx1g -Xmn400m",
            "catalog-service", "-Xmx1g",
            "notifier", "-Xmx512m");

    public static void main(String[] args) throws Exception {
        SERVICE_JVM_OPTIONS.forEach((svc, options) -> {
            String property = "ringmaster.sandbox.jvm-options." + svc;
            if (System.getProperty(property) == null) {
                System.setProperty(property, options);
            }
        });
        Path home = Path.of(System.getProperty("ringmaster.home", "."))
                .toAbsolutePath()
                .normalize();
        String[] counts = args.length == 0 ? new String[] {"100", "1000"} : args;
        StringBuilder all = new StringBuilder();
        for (String c : counts) {
            RolloutBench.Options o = new RolloutBench.Options(
                    home,
                    home.resolve("bench/target/bench-sandbox"),
                    Integer.parseInt(c),
                    10,
                    50,
                    1000,
                    Duration.ofSeconds(20),
                    8,
                    Duration.ofMillis(100),
                    Boolean.getBoolean("ringmaster.bench.cold")
                            ? 0
                            : Integer.getInteger(
                                    "ringmaster.bench.warm-up-deployments", RolloutBench.WARM_UP_DEPLOYMENTS));
            RolloutBench.Result r = RolloutBench.run(o, System.out);
            String table = RolloutBench.markdown(r);
            System.out.println(table);
            all.append("\n### ")
                    .append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                    .append(", ")
                    .append(c)
                    .append(" clusters\n\n")
                    .append(table);
        }
        Path results = home.resolve("bench/results/runs.md");
        Files.createDirectories(results.getParent());
        Files.writeString(
                results,
                all.toString(),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        System.exit(0);
    }

    private BenchMain() {}
}
