package dev.ringmaster.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpreadTest {

    private static final Duration MEAN = Duration.ofSeconds(2);

    /** The draws of 20,000 clusters for one deployment, in milliseconds, sorted. */
    private static double[] draws(Spread s) {
        return IntStream.range(0, 20_000)
                .mapToDouble(
                        i -> s.draw(MEAN, "cluster-" + i, "s-1:abc", "apply").toNanos() / 1e6)
                .sorted()
                .toArray();
    }

    @Test
    void fixedIsTheDelayItself() {
        assertThat(Spread.FIXED.draw(MEAN, "c1", "d1", "apply")).isEqualTo(MEAN);
        assertThat(Spread.EXPONENTIAL.draw(Duration.ZERO, "c1", "d1", "apply")).isZero();
    }

    @Test
    void uniformSpreadsEvenlyBetweenZeroAndTwiceTheMean() {
        double[] d = draws(Spread.UNIFORM);
        assertThat(Arrays.stream(d).average().orElseThrow()).isCloseTo(2000, within(40.0));
        assertThat(d[0]).isBetween(0.0, 20.0);
        assertThat(d[d.length - 1]).isBetween(3980.0, 4000.0);
        assertThat(d[d.length / 2]).isCloseTo(2000, within(60.0));
    }

    @Test
    void exponentialHasTheMeanAndALongTail() {
        double[] d = draws(Spread.EXPONENTIAL);
        assertThat(Arrays.stream(d).average().orElseThrow()).isCloseTo(2000, within(60.0));
        assertThat(d[d.length / 2]).as("median = ln 2 x mean").isCloseTo(2000 * Math.log(2), within(60.0));
        assertThat(d[(int) (d.length * 0.99)]).as("p99 = ln 100 x mean").isCloseTo(2000 * Math.log(100), within(500.0));
    }

    @Test
    void aDrawIsStableForAClusterAndDeploymentAndDiffersForTheNextDeployment() {
        Duration a = Spread.EXPONENTIAL.draw(MEAN, "c7", "s-1:abc", "ready");
        assertThat(Spread.EXPONENTIAL.draw(MEAN, "c7", "s-1:abc", "ready")).isEqualTo(a);
        assertThat(Spread.EXPONENTIAL.draw(MEAN, "c7", "s-1:def", "ready")).isNotEqualTo(a);
        assertThat(Spread.EXPONENTIAL.draw(MEAN, "c7", "s-1:abc", "apply")).isNotEqualTo(a);
    }

    @Test
    void parsesItsNamesAndExplainsAnythingElse() {
        assertThat(Spread.parse(" Exponential ")).isEqualTo(Spread.EXPONENTIAL);
        assertThatThrownBy(() -> Spread.parse("normal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fixed, uniform or exponential");
    }
}
