package dev.ringmaster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutBenchOptionsTest {

    private static RolloutBench.Options options(int clusters, int warmUpDeployments) {
        return new RolloutBench.Options(
                Path.of("."),
                Path.of("target"),
                clusters,
                10,
                50,
                1000,
                Duration.ofSeconds(1),
                1,
                Duration.ofMillis(100),
                warmUpDeployments);
    }

    @Test
    void warmsUpUntilEnoughDeploymentsPassedAndAtLeastOnce() {
        assertThat(options(100, 10_000).warmUpRollouts()).isEqualTo(10); // 1,000 deployments each
        assertThat(options(333, 10_000).warmUpRollouts()).isEqualTo(4); // 3,330 each: three are not enough
        assertThat(options(1_000, 10_000).warmUpRollouts()).isEqualTo(1);
        assertThat(options(10_000, 10_000).warmUpRollouts()).isEqualTo(1); // never none
        assertThat(options(100, 1).warmUpRollouts()).isEqualTo(1);
    }

    @Test
    void eachRunSaysWhichJvmOptionsTheProcessesGot() {
        String watcher = "ringmaster.sandbox.jvm-options.fleet-watcher";
        String kafka = "ringmaster.sandbox.jvm-options.kafka";
        String before = System.getProperty(watcher);
        try {
            System.clearProperty(watcher);
            System.clearProperty(kafka);
            String others = RolloutBench.jvmOptions(); // whatever else this JVM was given
            System.setProperty(watcher, " -Xmx3g -XX:+UseG1GC ");
            System.setProperty(kafka, "-Xlog:gc");
            assertThat(RolloutBench.jvmOptions())
                    .contains("fleet-watcher `-Xmx3g -XX:+UseG1GC`")
                    .endsWith("kafka `-Xlog:gc`");
            System.clearProperty(kafka);
            System.clearProperty(watcher);
            assertThat(RolloutBench.jvmOptions()).isEqualTo(others);
        } finally {
            System.clearProperty(kafka);
            if (before != null) {
                System.setProperty(watcher, before);
            }
        }
    }

    @Test
    void noneWhenAColdRunIsAskedFor() {
        assertThat(options(100, 0).warmUpRollouts()).isZero();
    }
}
