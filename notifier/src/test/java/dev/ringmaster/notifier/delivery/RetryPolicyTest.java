package dev.ringmaster.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.notifier.delivery.RetryPolicy.Attempt;
import dev.ringmaster.notifier.delivery.RetryPolicy.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private static RetryPolicy policy(double random) {
        return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10), () -> random);
    }

    @ParameterizedTest
    @CsvSource({
        "200, DELIVERED",
        "204, DELIVERED",
        "299, DELIVERED",
        "500, RETRY",
        "502, RETRY",
        "503, RETRY",
        "429, RETRY",
        "408, RETRY",
        "400, FAILED",
        "401, FAILED",
        "404, FAILED",
        "410, FAILED",
        "301, FAILED",
        "302, FAILED",
    })
    void statusDecides(int status, Verdict verdict) {
        assertThat(policy(0.5).decide(1, Attempt.answered(status, null), NOW).verdict())
                .isEqualTo(verdict);
    }

    @Test
    void aNetworkErrorIsRetriedAndTheBudgetEndsInDead() {
        RetryPolicy p = policy(0.5);
        assertThat(p.decide(4, Attempt.networkError("ConnectException"), NOW).verdict())
                .isEqualTo(Verdict.RETRY);
        assertThat(p.decide(5, Attempt.networkError("ConnectException"), NOW).verdict())
                .isEqualTo(Verdict.DEAD);
        assertThat(p.decide(5, Attempt.answered(503, null), NOW).verdict()).isEqualTo(Verdict.DEAD);
        assertThat(p.decide(5, Attempt.answered(200, null), NOW).verdict()).isEqualTo(Verdict.DELIVERED);
    }

    @Test
    void backoffDoublesWithEqualJitterUpToTheCap() {
        // attempt n waits between half and all of min(30 s, 1 s * 2^(n-1))
        assertThat(policy(0.0).backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy(0.999999).backoff(1)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(policy(0.0).backoff(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy(0.0).backoff(10)).isEqualTo(Duration.ofSeconds(15));
        assertThat(policy(0.999999).backoff(40)).isBetween(Duration.ofMillis(29_999), Duration.ofSeconds(30));
    }

    @Test
    void retryAfterInSecondsOrAsADateIsHonouredAndCapped() {
        RetryPolicy p = policy(0.0);
        assertThat(p.decide(1, Attempt.answered(429, "7"), NOW).retryAt()).isEqualTo(NOW.plusSeconds(7));
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(120).atOffset(ZoneOffset.UTC));
        assertThat(p.decide(1, Attempt.answered(503, date), NOW).retryAt()).isEqualTo(NOW.plusSeconds(120));
        assertThat(p.decide(1, Attempt.answered(503, "86400"), NOW).retryAt()).isEqualTo(NOW.plusSeconds(600));
        assertThat(p.decide(1, Attempt.answered(503, "soon"), NOW).retryAt()).isEqualTo(NOW.plusMillis(500));
        assertThat(p.decide(1, Attempt.answered(503, "-5"), NOW).retryAt()).isEqualTo(NOW);
    }
}
