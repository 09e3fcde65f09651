package dev.ringmaster.catalog.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A subscription as the API shows it. The secret is shown once, in the answer that created or rotated it; a Slack
 * URL (whose last segment is its credential) is shown masked.
 *
 * @param events the event types delivered (the kind's default spelled out when none were chosen)
 * @param secret the signing secret, only in the answer that set it
 * @param previousSecretExpiresAt until when the old secret still signs, after a rotation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionView(
        String name,
        String kind,
        String url,
        List<String> applications,
        List<String> events,
        boolean signed,
        OffsetDateTime previousSecretExpiresAt,
        long revision,
        OffsetDateTime createdAt,
        String secret) {}
