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
    void noneWhenAColdRunIsAskedFor() {
        assertThat(options(100, 0).warmUpRollouts()).isZero();
    }
}
