package dev.ringmaster.outbox;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

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

    /** Rows in their order: unnest of arrays of equal length yields them in the arrays' order. */
    private static final String INSERT_ALL = insert("true");

    /**
     * An INSERT of the six arrays of {@link Rows} (six parameters, bound by {@link Rows#bind}), for a caller that
     * writes its events in a statement of its own, e.g. as one part of a {@code WITH} (one round trip to the database
     * for its state and its events). Call {@link #inserted} after it, in the same transaction.
     *
     * @param condition SQL: the rows are inserted only where it holds ({@code "true"}: always)
     */
    public static String insert(String condition) {
        return "INSERT INTO outbox (event_id, topic, message_key, event_type, payload, created_at)"
                + " SELECT id::uuid, topic, message_key, event_type, payload, created_at::timestamptz"
                + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
                + " AS e(id, topic, message_key, event_type, payload, created_at) WHERE " + condition;
    }

    /** Events as the outbox's columns, to insert with {@link #insert}: made by {@link #rows}. */
    public static final class Rows {
        /** No events. */
        public static final Rows NONE = new Rows(List.of(), new String[6][0]);

        private final List<CloudEvent> events;
        private final String[][] columns;

        private Rows(List<CloudEvent> events, String[][] columns) {
            this.events = events;
            this.columns = columns;
        }

        /** The events as they will be published. */
        public List<CloudEvent> events() {
            return events;
        }

        /**
         * Binds the six arrays of {@link #insert} from parameter {@code first} on.
         *
         * @return the next parameter's index
         */
        public int bind(Connection c, PreparedStatement st, int first) throws SQLException {
            for (String[] column : columns) {
                st.setArray(first++, c.createArrayOf("text", column));
            }
            return first;
        }
    }

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
     * Adds events to the outbox in their order with one INSERT of six arrays: one small statement the driver prepares
     * once, whatever the number of events (the outbox's identity key makes Hibernate insert row by row, and a
     * statement of a thousand rows of parameters costs more to bind than to run).
     *
     * @return the events as they will be published
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<CloudEvent> appendAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return new ArrayList<>();
        }
        Rows rows = rows(entries);
        em.flush(); // what was persisted before goes first: the outbox order holds
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT_ALL)) {
                rows.bind(c, insert, 1);
                insert.executeUpdate();
            }
        });
        inserted(rows);
        return rows.events();
    }

    /** The entries as events (each wrapped as a CloudEvent from this service) and as the outbox's columns. */
    public Rows rows(List<Entry> entries) {
        int n = entries.size();
        List<CloudEvent> events = new ArrayList<>(n);
        String[] ids = new String[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        String[] times = new String[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            CloudEvent event = codec.wrap(source, e.subject(), e.payload());
            ids[i] = event.id();
            topics[i] = EventType.ofType(event.type()).orElseThrow().topic();
            keys[i] = e.key();
            types[i] = event.type();
            payloads[i] = codec.encode(event);
            times[i] = event.time().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            events.add(event);
        }
        return new Rows(events, new String[][] {ids, topics, keys, types, payloads, times});
    }

    /**
     * Says that a statement of the caller's inserted {@code rows} in this transaction: the relay publishes them once it
     * commits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void inserted(Rows rows) {
        if (!rows.events().isEmpty()) {
            appended.fire(new Appended());
        }
    }
}
