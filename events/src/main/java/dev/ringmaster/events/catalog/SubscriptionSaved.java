package dev.ringmaster.events.catalog;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A notification subscription was created or changed (its secret rotated). Carries the whole subscription, so that a
 * consumer keeps the latest state by {@code revision} and needs nothing else.
 *
 * <p>The signing secrets travel in this event: {@code catalog.events} is an internal topic; its readers are the
 * Ringmaster services. {@link #toString()} never shows them.
 *
 * @param name the subscription's name (its id)
 * @param kind WEBHOOK (CloudEvents JSON, signed) or SLACK (a Block Kit message)
 * @param url where deliveries go
 * @param applications the applications it follows; empty for all
 * @param eventTypes the CloudEvents types it wants; empty for the default of its kind
 * @param secret the current signing secret ({@code whsec_...}); null for Slack
 * @param previousSecret the secret before the last rotation, still signed with until {@code previousSecretExpiresAt}
 * @param previousSecretExpiresAt when the previous secret stops being used; null without a previous secret
 * @param revision increases with every change of this subscription
 */
public record SubscriptionSaved(
        String name,
        String kind,
        String url,
        List<String> applications,
        List<String> eventTypes,
        String secret,
        String previousSecret,
        OffsetDateTime previousSecretExpiresAt,
        long revision) {

    @Override
    public String toString() {
        return "SubscriptionSaved[name=" + name + ", kind=" + kind + ", url=" + url + ", applications=" + applications
                + ", eventTypes=" + eventTypes + ", secret=" + (secret == null ? "none" : "***")
                + ", previousSecret=" + (previousSecret == null ? "none" : "***") + ", previousSecretExpiresAt="
                + previousSecretExpiresAt + ", revision=" + revision + "]";
    }
}
