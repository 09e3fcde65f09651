package dev.ringmaster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final String BODY = """
            # HELP ringmaster_orchestrator_batches_total Batches of Fleet's answers applied
            # TYPE ringmaster_orchestrator_batches_total counter
            ringmaster_orchestrator_batches_total{write="locked"} 3.0
            ringmaster_orchestrator_batches_total{write="one-statement"} 120.0
            ringmaster_orchestrator_state_reads_total{from="database"} 1.0
            ringmaster_outbox_published_total 7.0
            jvm_threads_live_threads 40.0
            """;

    @Test
    void readsTheSeriesOfAPrefixWithTheirLabels() {
        assertThat(Metrics.samples(BODY, "ringmaster_orchestrator_"))
                .containsOnly(
                        Map.entry("ringmaster_orchestrator_batches_total{write=\"locked\"}", 3.0),
                        Map.entry("ringmaster_orchestrator_batches_total{write=\"one-statement\"}", 120.0),
                        Map.entry("ringmaster_orchestrator_state_reads_total{from=\"database\"}", 1.0));
    }

    @Test
    void saysWhatGrewAndLeavesOutWhatDidNot() {
        Map<String, Double> before = Metrics.samples(BODY, "ringmaster_orchestrator_");
        Map<String, Double> after = Metrics.samples(
                BODY.replace("120.0", "150.0") + "ringmaster_orchestrator_state_reads_total{from=\"cache\"} 30.0\n",
                "ringmaster_orchestrator_");
        assertThat(Metrics.since(before, after))
                .isEqualTo("ringmaster_orchestrator_batches_total{write=\"one-statement\"} +30;"
                        + " ringmaster_orchestrator_state_reads_total{from=\"cache\"} +30");
        assertThat(Metrics.since(before, before)).isEqualTo("none");
    }
}
