package dev.ringmaster.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;

class PortsTest {

    /** Ten roles, ten ports: two roles on one port start one of them on a port the other holds. */
    @RepeatedTest(50)
    void freePortsAreTenDifferentPorts() {
        SandboxConfig.Ports p = SandboxConfig.Ports.free();
        assertThat(new HashSet<>(List.of(
                        p.kafka(),
                        p.kafkaController(),
                        p.postgres(),
                        p.git(),
                        p.fleet(),
                        p.catalog(),
                        p.orchestrator(),
                        p.committer(),
                        p.watcher(),
                        p.notifier())))
                .hasSize(10);
    }
}
