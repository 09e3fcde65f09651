package dev.ringmaster.outbox;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
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

    /** One event to append: Kafka record key, CloudEvents subject, payload (one record of the events module). */
    public record Entry(String key, String subject, Object payload) {}

    /** Rows per INSERT statement: 6 parameters each, well under PostgreSQL's 65,535. */
    private static final int ROWS_PER_STATEMENT = 1_000;

    private final EventCodec codec;
    private final String source;
    private final Event<Appended> appended;
    private final EntityManager em;

    public Outbox(
            EventCodec codec,
            @ConfigProperty(name = "ringmaster.event-source") String source,
            Event<Appended> appended,
            EntityManager em) {
        this.codec = codec;
        this.source = source;
        this.appended = appended;
        this.em = em;
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

    /**
     * Adds events to the outbox in their order, with one INSERT per thousand (the outbox's identity key makes
     * Hibernate insert row by row; a batch of a thousand answers appends a thousand events).
     *
     * @return the events as they will be published
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<CloudEvent> appendAll(List<Entry> entries) {
        List<CloudEvent> events = new ArrayList<>(entries.size());
        for (int from = 0; from < entries.size(); from += ROWS_PER_STATEMENT) {
            List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder(
                    "INSERT INTO outbox (event_id, topic, message_key, event_type, payload, created_at) VALUES ");
            for (int i = 0; i < chunk.size(); i++) {
                int p = i * 6;
                sql.append(i == 0 ? "" : ", ")
                        .append(String.format(
                                "(?%d, ?%d, ?%d, ?%d, ?%d, ?%d)", p + 1, p + 2, p + 3, p + 4, p + 5, p + 6));
            }
            var insert = em.createNativeQuery(sql.toString());
            for (int i = 0; i < chunk.size(); i++) {
                Entry e = chunk.get(i);
                CloudEvent event = codec.wrap(source, e.subject(), e.payload());
                int p = i * 6;
                insert.setParameter(p + 1, UUID.fromString(event.id()));
                insert.setParameter(
                        p + 2, EventType.ofType(event.type()).orElseThrow().topic());
                insert.setParameter(p + 3, e.key());
                insert.setParameter(p + 4, event.type());
                insert.setParameter(p + 5, codec.encode(event));
                insert.setParameter(p + 6, event.time());
                events.add(event);
            }
            insert.executeUpdate(); // Hibernate flushes what was persisted before: the outbox order holds
        }
        if (!events.isEmpty()) {
            appended.fire(new Appended());
        }
        return events;
    }
}
