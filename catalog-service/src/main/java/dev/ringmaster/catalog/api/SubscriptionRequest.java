package dev.ringmaster.catalog.api;

import java.util.List;

/**
 * Body of {@code POST /api/v1/subscriptions}.
 *
 * @param name a DNS-1123 label, unique
 * @param url the target: an http(s) URL; a Slack incoming-webhook URL for {@code SLACK}
 * @param kind {@code WEBHOOK} or {@code SLACK}; default: {@code SLACK} for a hooks.slack.com URL, else {@code WEBHOOK}
 * @param applications the applications to follow; empty or absent for all
 * @param events the event types to send, as CloudEvents types ({@code ringmaster.rollout.succeeded.v1}) or short
 *     ({@code rollout.succeeded}); absent for the default of the kind
 * @param secret the signing secret of a webhook ({@code whsec_} and base64 of 24 to 64 bytes); generated when absent
 */
public record SubscriptionRequest(
        String name, String url, String kind, List<String> applications, List<String> events, String secret) {}
