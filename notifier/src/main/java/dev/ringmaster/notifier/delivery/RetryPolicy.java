package dev.ringmaster.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * What happens after an attempt. 2xx: delivered. 408, 429, 5xx and network errors: tried again after an exponential
 * backoff with jitter (or the receiver's Retry-After, in seconds or as an HTTP date, capped), until the budget of
 * attempts is spent: then dead. Any other answer (3xx: we never follow redirects; 4xx): failed, not retried.
 */
public final class RetryPolicy {

    /** The outcome of one attempt: an HTTP status, or an error before any status. */
    public record Attempt(Integer status, String retryAfter, String error) {
        public static Attempt answered(int status, String retryAfter) {
            return new Attempt(status, retryAfter, null);
        }

        public static Attempt networkError(String error) {
            return new Attempt(null, null, error);
        }
    }

    /** What to do next. {@code retryAt} is set for RETRY only. */
    public record Decision(Verdict verdict, Instant retryAt) {}

    public enum Verdict {
        DELIVERED,
        RETRY,
        FAILED,
        DEAD
    }

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final DoubleSupplier random;

    public RetryPolicy(
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration maxRetryAfter,
            DoubleSupplier random) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxRetryAfter = maxRetryAfter;
        this.random = random;
    }

    /** The decision after attempt number {@code attempt} (1-based) ended as {@code outcome} at {@code now}. */
    public Decision decide(int attempt, Attempt outcome, Instant now) {
        Integer s = outcome.status();
        if (s != null && s >= 200 && s < 300) {
            return new Decision(Verdict.DELIVERED, null);
        }
        boolean retryable = s == null || s == 408 || s == 429 || s >= 500;
        if (!retryable) {
            return new Decision(Verdict.FAILED, null);
        }
        if (attempt >= maxAttempts) {
            return new Decision(Verdict.DEAD, null);
        }
        Duration wait = retryAfter(outcome.retryAfter(), now).orElseGet(() -> backoff(attempt));
        return new Decision(Verdict.RETRY, now.plus(wait));
    }

    /** Equal jitter: between half and all of min(max, initial * 2^(attempt-1)). */
    Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
        long capped = Math.min(Math.max(base, 0), maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (capped - half)));
    }

    Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(
                        now,
                        ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        return Optional.of(d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d);
    }
}
