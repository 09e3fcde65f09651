package dev.ringmaster.notifier.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One event's delivery to one subscription.
 *
 * @param rolloutId the rollout (deliveries of one rollout reach a target in order)
 * @param state PENDING, SENDING, DELIVERED, FAILED (answer not retried), DEAD (retry budget spent), CANCELLED
 * @param nextAttemptAt when a PENDING delivery is tried next
 * @param log every attempt, oldest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(
        String eventId,
        String type,
        String rolloutId,
        String state,
        int attempts,
        OffsetDateTime nextAttemptAt,
        Integer lastStatus,
        String lastError,
        OffsetDateTime createdAt,
        OffsetDateTime finishedAt,
        List<AttemptView> log) {

    /** One attempt: the HTTP status, or the error when there was none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(int attempt, OffsetDateTime at, Integer status, String error, long durationMs) {}
}
