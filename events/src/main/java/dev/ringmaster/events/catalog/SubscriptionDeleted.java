package dev.ringmaster.events.catalog;

/**
 * A notification subscription was deleted: nothing more is delivered to it.
 *
 * @param name the subscription's name
 * @param revision its last revision plus one
 */
public record SubscriptionDeleted(String name, long revision) {}
