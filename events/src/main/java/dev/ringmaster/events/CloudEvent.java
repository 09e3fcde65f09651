package dev.ringmaster.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A CloudEvents 1.0 event in structured JSON mode: the Kafka record value of every Ringmaster message.
 *
 * @param specversion always {@value #SPEC_VERSION}
 * @param id unique per event; a replay or a retry carries the same id (consumers deduplicate on it)
 * @param source the producing service, e.g. {@code /ringmaster/catalog-service}
 * @param type the versioned event type, e.g. {@code ringmaster.catalog.application.created.v1}
 * @param subject what the event is about, e.g. the application name or the rollout id
 * @param time when the fact happened (or the command was issued)
 * @param datacontenttype always {@code application/json}
 * @param data the payload: one record of this module, as JSON
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** The Kafka {@code content-type} header value of a structured-mode CloudEvent. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
    }
}
