package dev.ringmaster.catalog.api;

/**
 * Body of {@code POST /api/v1/subscriptions/{name}/rotate-secret} (optional).
 *
 * @param secret the new secret; generated when absent
 * @param graceSeconds how long the old secret still signs, next to the new one (default one day, at most 7 days)
 */
public record RotateSecretRequest(String secret, Long graceSeconds) {}
