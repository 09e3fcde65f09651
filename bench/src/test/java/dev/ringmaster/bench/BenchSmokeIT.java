package dev.ringmaster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's driver in its smallest run (100 clusters, 10 services), so that it cannot rot. It asserts that the
 * run works and each figure is measured, not how fast anything is: speed is stated in bench/README.md, not tested.
 */
class BenchSmokeIT {

    @Test
    void theDriverMeasuresEveryFigureOnASmallRing() throws Exception {
        System.setProperty("ringmaster.bench.fleet-nice", "10"); // the option, exercised
        RolloutBench.Options o = new RolloutBench.Options(
                Path.of("..").toAbsolutePath().normalize(),
                Path.of("target/bench-smoke").toAbsolutePath(),
                100,
                10,
                10,
                50,
                Duration.ofSeconds(2),
                4,
                Duration.ofMillis(200),
                1); // one warm-up rollout: the smoke checks the harness, not the figures
        RolloutBench.Result r = RolloutBench.run(o, new PrintStream(PrintStream.nullOutputStream()));
        System.out.println(RolloutBench.markdown(r));
        assertThat(r.phase()).isEqualTo("SUCCEEDED");
        assertThat(r.coldRollout()).isPositive(); // the warm-up rollout ran (and succeeded) first
        assertThat(r.warmUpRollouts()).isEqualTo(1);
        assertThat(r.rollout()).isPositive();
        assertThat(r.catalogView()).isPositive();
        // 10 services, of which the 7 below the first layer wait for dependencies: one hand-off each
        assertThat(r.handoffMillis().count()).isEqualTo(7);
        assertThat(r.publishedHandoffMillis().count()).isEqualTo(7);
        // the plain consumer read every answer of the measured rollout (100 clusters x 10 services), none before
        assertThat(r.brokerHopMillis().count()).isEqualTo(1000);
        assertThat(r.brokerHopMillis().p50()).isGreaterThanOrEqualTo(0);
        assertThat(r.breakdown()).doesNotContain("(-)"); // the probe saw each dependency's last answer
        // PostgreSQL's counters were read before and after the rollout (four tables, most rows read first)
        assertThat(r.databaseTables().split("; ")).hasSize(4).allMatch(t -> t.matches("\\w+\\.\\w+ [\\d,]+ read .*"));
        // published after it was made: the relay sends once the transaction that made it committed
        assertThat(r.publishedHandoffMillis().p50())
                .isGreaterThanOrEqualTo(r.handoffMillis().p50());
        assertThat(r.handoffMillis().p50()).isGreaterThanOrEqualTo(0);
        assertThat(r.handoffMillis().p99())
                .isGreaterThanOrEqualTo(r.handoffMillis().p50());
        // every cluster answered for every service: at least 1,000 ClusterReady read by the orchestrator
        assertThat(r.orchestratorInputs()).isGreaterThanOrEqualTo(1000);
        assertThat(r.rawPerSecond()).isPositive();
        // the burst's step completed only once all its 1,000 answers were applied
        assertThat(r.orchestratorBurstPerSecond()).isPositive();
        assertThat(r.burstCount()).isEqualTo(1000);
        assertThat(r.burstRawPerSecond()).isPositive();
        assertThat(r.readsPerSecond()).isPositive();
        assertThat(r.readMillis().count()).isPositive();
        assertThat(r.startup()).hasSize(5);
        assertThat(r.idleRssKb().values()).allMatch(kb -> kb > 10_000);
        // the simulated Fleet, in this JVM, yields the CPU to the services: this thread runs at nice 10 now
        assertThat(r.fleetPriority()).startsWith("nice 10");
        assertThat(niceOfThisThread()).isEqualTo(10);
    }

    /** Field 19 of /proc/thread-self/stat (the fields after the command's closing parenthesis start at 3). */
    private static int niceOfThisThread() throws Exception {
        String stat = java.nio.file.Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }

    @Test
    void theDagHasFourLayers() {
        var dag = RolloutBench.dag(10);
        assertThat(dag).hasSize(10);
        assertThat(dev.ringmaster.events.rollout.ServiceOrder.layers(dag.entrySet().stream()
                        .map(e -> new dev.ringmaster.events.rollout.ServicePlan(
                                e.getKey(), "", "", "", "", "1", "2", e.getValue()))
                        .toList()))
                .hasSize(4);
    }
}
