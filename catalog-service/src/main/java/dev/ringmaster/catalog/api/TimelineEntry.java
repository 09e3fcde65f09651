package dev.ringmaster.catalog.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * One event of a rollout, as the timeline and the live stream show it.
 *
 * @param seq its position in the rollout's timeline
 * @param time when it happened
 * @param type the short event type, e.g. {@code step-committed}
 * @param summary one line for a person
 * @param data the event's payload
 */
public record TimelineEntry(long seq, OffsetDateTime time, String type, String summary, JsonNode data) {}
