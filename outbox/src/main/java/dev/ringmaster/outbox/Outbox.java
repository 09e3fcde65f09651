package dev.ringmaster.outbox;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes events into the outbox table in the caller's transaction: they become visible, and are published, only if
 * the change they announce commits.
 */
@ApplicationScoped
public class Outbox {

    /** Fired in the writing transaction; the relay observes it after a successful commit to publish at once. */
    public record Appended() {}

    private final EventCodec codec;
    private final String source;
    private final Event<Appended> appended;

    public Outbox(
            EventCodec codec,
            @ConfigProperty(name = "ringmaster.event-source") String source,
            Event<Appended> appended) {
        this.codec = codec;
        this.source = source;
        this.appended = appended;
    }

    /**
     * Adds an event to the outbox.
     *
     * @param key the Kafka record key
     * @param subject the CloudEvents subject
     * @param payload one record of the events module
     * @return the event as it will be published
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent append(String key, String subject, Object payload) {
        CloudEvent event = codec.wrap(source, subject, payload);
        OutboxEvent row = new OutboxEvent();
        row.eventId = UUID.fromString(event.id());
        row.topic = EventType.ofType(event.type()).orElseThrow().topic();
        row.messageKey = key;
        row.eventType = event.type();
        row.payload = codec.encode(event);
        row.createdAt = event.time();
        row.persist();
        appended.fire(new Appended());
        return event;
    }
}
