package dev.ringmaster.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * JSON (de)serialisation of CloudEvents and their payloads. Thread-safe; one instance per service is enough.
 *
 * <p>Reading ignores unknown fields, so a producer may add optional fields without breaking older consumers (a
 * breaking change is a new event type). Times are ISO-8601 strings, durations ISO-8601 ({@code PT15M}).
 */
public final class EventCodec {

    private final ObjectMapper mapper;

    public EventCodec() {
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }

    /** The mapper this codec uses, configured as described above. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** A new event with a fresh id, the current time (UTC, millisecond precision) and the payload's type. */
    public CloudEvent wrap(String source, String subject, Object payload) {
        return wrap(UUID.randomUUID().toString(), source, subject, OffsetDateTime.now(ZoneOffset.UTC), payload);
    }

    /** A new event with the given id and time: for replays and golden files. */
    public CloudEvent wrap(String id, String source, String subject, OffsetDateTime time, Object payload) {
        EventType type = EventType.of(payload.getClass());
        return new CloudEvent(
                CloudEvent.SPEC_VERSION,
                id,
                source,
                type.type(),
                subject,
                time.truncatedTo(ChronoUnit.MILLIS),
                CloudEvent.JSON,
                mapper.valueToTree(payload));
    }

    /** The structured-mode JSON of an event. */
    public String encode(CloudEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("cannot encode event " + event.id() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The structured-mode JSON of an event, as UTF-8 bytes. */
    public byte[] encodeBytes(CloudEvent event) {
        return encode(event).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a structured-mode event; fails with {@link EventFormatException} on anything that is not one. */
    public CloudEvent decode(String json) {
        CloudEvent event;
        try {
            event = mapper.readValue(json, CloudEvent.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new EventFormatException("not a CloudEvent: " + describe(e), e);
        }
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion())) {
            throw new EventFormatException("unsupported CloudEvents specversion " + event.specversion(), null);
        }
        return event;
    }

    /** Reads a structured-mode event from UTF-8 bytes. */
    public CloudEvent decode(byte[] json) {
        return decode(new String(json, StandardCharsets.UTF_8));
    }

    /**
     * The payload of an event as its record.
     *
     * @throws EventFormatException when the type is unknown to this version or the data does not fit the record
     */
    public Object payload(CloudEvent event) {
        EventType type = EventType.ofType(event.type())
                .orElseThrow(() -> new EventFormatException("unknown event type " + event.type(), null));
        return payload(event, type.payloadClass());
    }

    /** The payload of an event as the given record class. */
    public <T> T payload(CloudEvent event, Class<T> payloadClass) {
        if (event.data() == null) {
            throw new EventFormatException("event " + event.id() + " has no data", null);
        }
        try {
            return mapper.treeToValue(event.data(), payloadClass);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new EventFormatException(
                    "event " + event.id() + " (" + event.type() + ") has bad data: " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    }
}
