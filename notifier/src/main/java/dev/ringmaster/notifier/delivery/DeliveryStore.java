package dev.ringmaster.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.catalog.SubscriptionDeleted;
import dev.ringmaster.events.catalog.SubscriptionSaved;
import dev.ringmaster.events.notify.EventSelection;
import dev.ringmaster.notifier.rest.DeliveryView;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The notifier's PostgreSQL state: subscriptions, the delivery queue, the delivery log. Plain JDBC. */
@ApplicationScoped
public class DeliveryStore {

    /** An unfinished delivery at the head of its (subscription, rollout) line, due now. */
    public record Head(long id, String subscription, String orderingKey) {}

    /** A delivery leased to this instance for one attempt. */
    public record Claimed(long id, int attempt, String eventId, String eventType, String body, Target target) {}

    private final DataSource db;

    public DeliveryStore(DataSource db) {
        this.db = db;
    }

    /** Keeps the newest revision of a subscription; an older one read late changes nothing. */
    public void save(SubscriptionSaved s) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO subscription (name, kind, url, applications, event_types, secret, previous_secret,
                                              previous_secret_expires_at, revision, deleted)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)
                    ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, url = EXCLUDED.url,
                        applications = EXCLUDED.applications, event_types = EXCLUDED.event_types,
                        secret = EXCLUDED.secret, previous_secret = EXCLUDED.previous_secret,
                        previous_secret_expires_at = EXCLUDED.previous_secret_expires_at,
                        revision = EXCLUDED.revision, deleted = FALSE
                    WHERE subscription.revision < EXCLUDED.revision
                    """)) {
                ps.setString(1, s.name());
                ps.setString(2, s.kind());
                ps.setString(3, s.url());
                ps.setString(4, String.join(",", s.applications()));
                ps.setString(5, String.join(",", s.eventTypes()));
                ps.setString(6, s.secret());
                ps.setString(7, s.previousSecret());
                ps.setObject(8, s.previousSecretExpiresAt());
                ps.setLong(9, s.revision());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Marks the subscription deleted (a tombstone) and cancels what it still had queued. */
    public void delete(SubscriptionDeleted s) {
        sql(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                            INSERT INTO subscription (name, kind, url, applications, event_types, revision, deleted)
                            VALUES (?, 'WEBHOOK', '', '', '', ?, TRUE)
                            ON CONFLICT (name) DO UPDATE SET deleted = TRUE, revision = EXCLUDED.revision,
                                secret = NULL, previous_secret = NULL
                            WHERE subscription.revision < EXCLUDED.revision
                            """);
                    PreparedStatement cancel = c.prepareStatement("""
                            UPDATE delivery SET state = 'CANCELLED', finished_at = now(),
                                last_error = 'the subscription was deleted'
                            WHERE subscription = ? AND state = 'PENDING'
                            """)) {
                ps.setString(1, s.name());
                ps.setLong(2, s.revision());
                if (ps.executeUpdate() > 0) {
                    cancel.setString(1, s.name());
                    cancel.executeUpdate();
                }
                c.commit();
            }
            return null;
        });
    }

    /** What a subscription wants: its applications (none: all) and its effective event types. */
    private record Selection(String name, List<String> applications, List<String> eventTypes) {
        boolean wants(String application, String eventType) {
            return (applications.isEmpty() || applications.contains(application)) && eventTypes.contains(eventType);
        }
    }

    /** A rollout event as read: the event and the text it came as (what is delivered). */
    public record Received(CloudEvent event, String body) {}

    /**
     * Queues one delivery of {@code event} per subscription that wants it, in one transaction; an event seen before
     * (same id) queues nothing again. Returns how many were queued.
     */
    public int enqueue(CloudEvent event, String body) {
        return enqueueAll(List.of(new Received(event, body)));
    }

    /**
     * Queues the deliveries of a batch of events in one transaction, reading the subscriptions once: most events of a
     * large ring (one per cluster and service) are wanted by nobody, and a transaction each cost more than the rest.
     */
    public int enqueueAll(List<Received> events) {
        return sql(c -> {
            c.setAutoCommit(false);
            List<Selection> subscriptions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT name, kind, applications, event_types FROM subscription WHERE NOT deleted");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    subscriptions.add(new Selection(
                            rs.getString("name"),
                            split(rs.getString("applications")),
                            EventSelection.effective(rs.getString("kind"), split(rs.getString("event_types")))));
                }
            }
            int queued = 0;
            try (PreparedStatement ins = c.prepareStatement("""
                    INSERT INTO delivery (subscription, ordering_key, event_id, event_type, body, state, next_attempt_at,
                                          created_at)
                    VALUES (?, ?, ?, ?, ?, 'PENDING', now(), now())
                    ON CONFLICT (subscription, event_id) DO NOTHING
                    """)) {
                int rows = 0;
                for (Received r : events) {
                    CloudEvent event = r.event();
                    JsonNode d = event.data();
                    String application = d != null && d.hasNonNull("application")
                            ? d.get("application").asText()
                            : null;
                    String orderingKey = d != null && d.hasNonNull("rolloutId")
                            ? d.get("rolloutId").asText()
                            : String.valueOf(event.subject());
                    for (Selection sub : subscriptions) {
                        if (sub.wants(application, event.type())) {
                            ins.setString(1, sub.name());
                            ins.setString(2, orderingKey);
                            ins.setString(3, event.id());
                            ins.setString(4, event.type());
                            ins.setString(5, r.body());
                            ins.addBatch();
                            rows++;
                        }
                    }
                }
                if (rows > 0) {
                    for (int n : ins.executeBatch()) {
                        queued += Math.max(0, n);
                    }
                }
            }
            c.commit();
            return queued;
        });
    }

    /** Due deliveries that are first in their (subscription, rollout) line, oldest first. */
    public List<Head> dueHeads(int limit) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT d.id, d.subscription, d.ordering_key FROM delivery d
                    WHERE d.state = 'PENDING' AND d.next_attempt_at <= now()
                      AND NOT EXISTS (SELECT 1 FROM delivery e
                                      WHERE e.subscription = d.subscription AND e.ordering_key = d.ordering_key
                                        AND e.state IN ('PENDING', 'SENDING') AND e.id < d.id)
                    ORDER BY d.id LIMIT ?
                    """)) {
                ps.setInt(1, limit);
                List<Head> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Head(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return out;
            }
        });
    }

    /** When the next retry is due (for the dispatcher's sleep); empty when nothing waits. */
    public Optional<Instant> nextDue() {
        return sql(c -> {
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT min(next_attempt_at) FROM delivery WHERE state = 'PENDING'");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp t = rs.getTimestamp(1);
                return Optional.ofNullable(t).map(Timestamp::toInstant);
            }
        });
    }

    /**
     * Leases a due delivery for one attempt and reads its subscription as it is now (a rotated secret or a changed
     * URL applies to retries). Empty when another instance took it, or the subscription is gone (then it is
     * cancelled).
     */
    public Optional<Claimed> claim(long id, long leaseMillis) {
        return sql(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE delivery SET state = 'SENDING', attempts = attempts + 1,
                        lease_until = now() + make_interval(secs => ?)
                    WHERE id = ? AND state = 'PENDING'
                    RETURNING attempts, event_id, event_type, body, subscription
                    """)) {
                ps.setDouble(1, leaseMillis / 1000.0);
                ps.setLong(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        return Optional.empty();
                    }
                    int attempt = rs.getInt(1);
                    String eventId = rs.getString(2);
                    String type = rs.getString(3);
                    String body = rs.getString(4);
                    String name = rs.getString(5);
                    Optional<Target> target = target(c, name);
                    if (target.isEmpty()) {
                        try (PreparedStatement cancel = c.prepareStatement(
                                "UPDATE delivery SET state = 'CANCELLED', finished_at = now(), attempts = attempts - 1,"
                                        + " last_error = 'the subscription was deleted' WHERE id = ?")) {
                            cancel.setLong(1, id);
                            cancel.executeUpdate();
                        }
                        c.commit();
                        return Optional.empty();
                    }
                    c.commit();
                    return Optional.of(new Claimed(id, attempt, eventId, type, body, target.get()));
                }
            }
        });
    }

    private static Optional<Target> target(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, url, secret, previous_secret, previous_secret_expires_at, now() FROM subscription"
                        + " WHERE name = ? AND NOT deleted")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(Target.of(
                        name,
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class),
                        rs.getObject(6, OffsetDateTime.class)));
            }
        }
    }

    /** Records an attempt and the delivery's new state in one transaction. */
    public void complete(
            long id,
            int attempt,
            Instant at,
            Integer status,
            String error,
            long durationMillis,
            String state,
            Instant nextAttemptAt) {
        sql(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement log = c.prepareStatement("""
                            INSERT INTO delivery_attempt (delivery_id, attempt, at, status, error, duration_ms)
                            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                            """);
                    PreparedStatement upd = c.prepareStatement("""
                            UPDATE delivery SET state = ?, next_attempt_at = coalesce(?, next_attempt_at),
                                lease_until = NULL, last_status = ?, last_error = ?,
                                finished_at = CASE WHEN ? THEN now() ELSE NULL END
                            WHERE id = ? AND state = 'SENDING' AND attempts = ?
                            """)) {
                log.setLong(1, id);
                log.setInt(2, attempt);
                log.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                setInt(log, 4, status);
                log.setString(5, error);
                log.setLong(6, durationMillis);
                log.executeUpdate();
                upd.setString(1, state);
                upd.setObject(
                        2, nextAttemptAt == null ? null : OffsetDateTime.ofInstant(nextAttemptAt, ZoneOffset.UTC));
                setInt(upd, 3, status);
                upd.setString(4, error);
                upd.setBoolean(5, !state.equals("PENDING"));
                upd.setLong(6, id);
                upd.setInt(7, attempt);
                upd.executeUpdate();
                c.commit();
            }
            return null;
        });
    }

    /** Deliveries whose lease ran out (their instance died mid-attempt) are due again. Returns how many. */
    public int releaseExpiredLeases() {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE delivery SET state = 'PENDING', lease_until = NULL, next_attempt_at = now()"
                            + " WHERE state = 'SENDING' AND lease_until < now()")) {
                return ps.executeUpdate();
            }
        });
    }

    /** The newest deliveries of a subscription with their attempts. */
    public List<DeliveryView> deliveries(String subscription, int limit) {
        return sql(c -> {
            Map<Long, DeliveryView> byId = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, event_id, event_type, ordering_key, state, attempts, next_attempt_at, last_status,
                           last_error, created_at, finished_at
                    FROM delivery WHERE subscription = ? ORDER BY id DESC LIMIT ?
                    """)) {
                ps.setString(1, subscription);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String state = rs.getString("state");
                        byId.put(
                                rs.getLong("id"),
                                new DeliveryView(
                                        rs.getString("event_id"),
                                        rs.getString("event_type"),
                                        rs.getString("ordering_key"),
                                        state,
                                        rs.getInt("attempts"),
                                        state.equals("PENDING")
                                                ? rs.getObject("next_attempt_at", OffsetDateTime.class)
                                                : null,
                                        (Integer) rs.getObject("last_status"),
                                        rs.getString("last_error"),
                                        rs.getObject("created_at", OffsetDateTime.class),
                                        rs.getObject("finished_at", OffsetDateTime.class),
                                        new ArrayList<>()));
                    }
                }
            }
            if (byId.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT delivery_id, attempt, at, status, error, duration_ms FROM delivery_attempt"
                            + " WHERE delivery_id = ANY (?) ORDER BY delivery_id, attempt")) {
                ps.setArray(1, c.createArrayOf("bigint", byId.keySet().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.get(rs.getLong(1))
                                .log()
                                .add(new DeliveryView.AttemptView(
                                        rs.getInt(2),
                                        rs.getObject(3, OffsetDateTime.class),
                                        (Integer) rs.getObject(4),
                                        rs.getString(5),
                                        rs.getLong(6)));
                    }
                }
            }
            return List.copyOf(byId.values());
        });
    }

    /** The subscriptions this notifier delivers to (not deleted), by name, without secrets. */
    public List<Map<String, Object>> subscriptions() {
        return sql(c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT name, kind, applications, event_types, revision FROM subscription"
                                    + " WHERE NOT deleted ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", rs.getString(1));
                    m.put("kind", rs.getString(2));
                    m.put("applications", split(rs.getString(3)));
                    m.put("events", EventSelection.effective(rs.getString(2), split(rs.getString(4))));
                    m.put("revision", rs.getLong(5));
                    out.add(m);
                }
            }
            return out;
        });
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T sql(Work<T> work) {
        try (Connection c = db.getConnection()) {
            try {
                return work.run(c);
            } catch (SQLException | RuntimeException e) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }
}
