package dev.ringmaster.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' dev.ringmaster.bench.BenchMain
 * [clusters...]}: one whole-system run per cluster count (default 100 1000), each printed as a Markdown table and
 * appended to bench/results/runs.md.
 */
public final class BenchMain {

    public static void main(String[] args) throws Exception {
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
