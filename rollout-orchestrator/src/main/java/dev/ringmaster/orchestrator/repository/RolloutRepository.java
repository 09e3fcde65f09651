package dev.ringmaster.orchestrator.repository;

import dev.ringmaster.events.EventCodec;
import dev.ringmaster.orchestrator.domain.ClusterPhase;
import dev.ringmaster.orchestrator.domain.RolloutPhase;
import dev.ringmaster.orchestrator.domain.RolloutState;
import dev.ringmaster.orchestrator.domain.StepState;
import dev.ringmaster.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.Session;

/** Loads and stores rollouts, and remembers which events were applied. Call inside a transaction. */
@ApplicationScoped
public class RolloutRepository {

    private static final List<String> TERMINAL = List.of(
            RolloutPhase.SUCCEEDED.name(),
            RolloutPhase.FAILED.name(),
            RolloutPhase.ERRORED.name(),
            RolloutPhase.ABORTED.name());

    /** Rollouts whose committed state this instance holds; more at once than this empties the cache. */
    static final int MAX_CACHED = 64;

    private final EntityManager em;
    private final StoredState format;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<String, Cached> committed = new ConcurrentHashMap<>();
    private final Counter fromCache;
    private final Counter fromDatabase;

    /** A state as committed at {@code version}, with its parts as written. */
    private record Cached(long version, RolloutState state, StoredState.Parts parts) {}

    /**
     * A rollout this transaction holds: the version its row had when locked (or last saved here), and its parts as
     * stored then; {@code version} is -1 for a rollout not yet stored.
     */
    private record Held(long version, StoredState.Parts parts) {
        static final Held NEW = new Held(-1, StoredState.Parts.NONE);
    }

    /** What the first statement of a batch found: the events not applied before, and the rollouts it locked. */
    public record Opened(Set<String> fresh, Map<String, RolloutState> locked) {}

    /**
     * Records the events and locks the rollouts in one round trip to the database: on a machine whose cores are busy,
     * each round trip waits for the database's process and then ours to be scheduled, and a batch's wall time was
     * mostly those waits.
     */
    private static final String MARK_AND_LOCK = "WITH input AS ("
            + " SELECT * FROM unnest(?::text[], ?::text[]) AS i(event_id, rollout_id)),"
            + " fresh AS (INSERT INTO processed_event (event_id, processed_at)"
            + " SELECT DISTINCT event_id, now() FROM input ON CONFLICT DO NOTHING RETURNING event_id),"
            // only the rollouts of events not applied before: a redelivery neither waits for a lock nor takes the
            // rollout's committed state out of the cache; in id order, so two batches cannot deadlock
            + " locked AS (SELECT id, version FROM rollout"
            + " WHERE id IN (SELECT rollout_id FROM input JOIN fresh USING (event_id)) ORDER BY id FOR UPDATE)"
            + " SELECT true, event_id, NULL::bigint FROM fresh"
            + " UNION ALL SELECT false, id, version FROM locked";

    /** Status rows from six arrays: service, cluster, position, phase, state, message. */
    private static final String STATUS_ROWS = "SELECT * FROM unnest(?::text[], ?::text[], ?::int[], ?::text[],"
            + " ?::text[], ?::text[]) AS s(service, cluster, position, phase, state, message)";

    /** Every other write of {@link #WRITE} happens only where the head was written. */
    private static final String IF_HEAD = "EXISTS (SELECT FROM head)";

    /**
     * A stored rollout's new version in one statement: its head if its row is still at the version this instance read
     * or wrote (always so when this transaction holds the row's lock), and only then its changed parts, the parts it no
     * longer has (statuses stored as parts before the rows existed), its changed status rows, the events it applied
     * (recorded as processed) and the events it sends (into the outbox). Answers how many heads it wrote (1 or 0) and
     * how many event ids were fresh. The head comes first: the other parts read it, so none is written when it was not.
     *
     * <p>Two forms: {@link #WRITE} when no step is written whole, {@link #WRITE_WHOLE} when some are, whose other rows
     * it deletes. One form for both, with an empty list of steps, had PostgreSQL read every status row of the rollout
     * in every batch: its plan found the rows by rollout and filtered them by service (100,000 rows a batch at 10,000
     * clusters × 10 services, 9.4 million in one rollout — most of PostgreSQL's CPU).
     */
    private static final String WRITE = write(false);

    private static final String WRITE_WHOLE = write(true);

    private static String write(boolean whole) {
        return "WITH head AS ("
                + " UPDATE rollout SET phase = ?, state = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?"
                + " RETURNING id),"
                + " fresh AS (INSERT INTO processed_event (event_id, processed_at)"
                + " SELECT DISTINCT event_id, now() FROM unnest(?::text[]) AS e(event_id) WHERE " + IF_HEAD
                + " ON CONFLICT DO NOTHING RETURNING event_id),"
                + " parts AS (INSERT INTO rollout_part (rollout_id, name, body)"
                + " SELECT ?, name, body FROM unnest(?::text[], ?::text[]) AS p(name, body) WHERE " + IF_HEAD
                + " ON CONFLICT (rollout_id, name) DO UPDATE SET body = EXCLUDED.body),"
                + " gone AS (DELETE FROM rollout_part WHERE rollout_id = ? AND name = ANY (?::text[]) AND " + IF_HEAD
                + "),"
                + " s AS (" + STATUS_ROWS + "),"
                // the status rows written (inserted, or updated where they exist) ...
                + " written AS (INSERT INTO cluster_status (rollout_id, service, cluster, position, phase, state, message)"
                + " SELECT ?, service, cluster, position, phase, state, message FROM s WHERE " + IF_HEAD
                + " ON CONFLICT (rollout_id, service, cluster) DO UPDATE SET position = EXCLUDED.position,"
                + " phase = EXCLUDED.phase, state = EXCLUDED.state, message = EXCLUDED.message),"
                // ... and the other rows of the steps written whole deleted: never a row written (one statement cannot
                // change a row twice)
                + (whole
                        ? " stale AS (DELETE FROM cluster_status c WHERE c.rollout_id = ? AND c.service = ANY (?::text[])"
                                + " AND " + IF_HEAD
                                + " AND NOT EXISTS (SELECT 1 FROM s WHERE s.service = c.service AND s.cluster = c.cluster)),"
                        : "")
                + " sent AS (" + Outbox.insert(IF_HEAD) + ")"
                + " SELECT (SELECT count(*) FROM head), (SELECT count(*) FROM fresh)";
    }

    private static final String INSERT = "INSERT INTO rollout"
            + " (id, application, ring, phase, state, created_at, updated_at, version)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 0)";

    private static final String INSERT_PARTS = "INSERT INTO rollout_part (rollout_id, name, body)"
            + " SELECT ?, name, body FROM unnest(?::text[], ?::text[]) AS p(name, body)";

    private static final String INSERT_STATUSES =
            "INSERT INTO cluster_status (rollout_id, service, cluster, position, phase, state, message)"
                    + " SELECT ?, service, cluster, position, phase, state, message FROM (" + STATUS_ROWS + ") s";

    public RolloutRepository(
            EntityManager em,
            EventCodec codec,
            TransactionSynchronizationRegistry transactions,
            MeterRegistry registry) {
        this.em = em;
        this.format = new StoredState(codec.mapper());
        this.transactions = transactions;
        this.fromCache = stateReads(registry, "cache");
        this.fromDatabase = stateReads(registry, "database");
    }

    private static Counter stateReads(MeterRegistry registry, String from) {
        return Counter.builder("ringmaster.orchestrator.state.reads")
                .description("Rollout states taken to apply inputs to: the one this instance last committed (cache),"
                        + " or read from the database and parsed (database: at 10,000 clusters x 10 services"
                        + " 100,000 status rows)")
                .tag("from", from)
                .register(registry);
    }

    /**
     * Records that event {@code id} is being applied; false when it was applied before (a redelivery). In the
     * transaction of its effect, so an effect and its record commit or roll back together.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markProcessed(String id) {
        int inserted = em.createNativeQuery(
                        "INSERT INTO processed_event (event_id, processed_at) VALUES (?1, now()) ON CONFLICT DO NOTHING")
                .setParameter(1, id)
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * For a batch of events, in one statement (see {@link #markProcessed} and {@link #lock}): records the events as
     * being applied, returning in {@code fresh} those not applied before, and locks until the transaction ends the
     * rollouts that fresh events concern. {@code rolloutOf} maps each event id to the rollout it concerns (null:
     * none); a rollout that does not exist is left out of {@code locked}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Opened open(Map<String, String> rolloutOf) {
        Set<String> fresh = new HashSet<>();
        Map<String, Long> versions = new HashMap<>();
        if (rolloutOf.isEmpty()) {
            return new Opened(fresh, Map.of());
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement q = c.prepareStatement(MARK_AND_LOCK)) {
                q.setArray(1, c.createArrayOf("text", rolloutOf.keySet().toArray()));
                q.setArray(2, c.createArrayOf("text", rolloutOf.values().toArray()));
                try (ResultSet rows = q.executeQuery()) {
                    while (rows.next()) {
                        if (rows.getBoolean(1)) {
                            fresh.add(rows.getString(2));
                        } else {
                            versions.put(rows.getString(2), rows.getLong(3));
                        }
                    }
                }
            }
        });
        Map<String, RolloutState> locked = new HashMap<>();
        versions.forEach((id, version) -> locked.put(id, held(id, version)));
        return new Opened(fresh, locked);
    }

    /**
     * The rollout, locked until the transaction ends (inputs of one rollout apply one at a time).
     *
     * <p>Its state is the one this instance last committed when the row's version still matches (nobody else wrote it
     * since); otherwise it is read and parsed. At 10,000 clusters × 10 services the document is ~4 MB and a batch of
     * answers would otherwise parse it each time. The cached state is handed to this transaction and taken out of the
     * cache, so a transaction that rolls back after changing it leaves nothing behind; {@link #save} puts it back once
     * its transaction commits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<RolloutState> lock(String id) {
        List<?> version = em.createNativeQuery("SELECT version FROM rollout WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id)
                .getResultList();
        if (version.isEmpty()) {
            committed.remove(id);
            return Optional.empty();
        }
        return Optional.of(held(id, ((Number) version.get(0)).longValue()));
    }

    /** The state of a rollout this transaction has locked at {@code version}: the cached one if still current. */
    private RolloutState held(String id, long version) {
        Cached cached = committed.remove(id);
        if (cached != null && cached.version() == version) {
            fromCache.increment();
            remember(id, new Held(version, cached.parts()));
            return cached.state();
        }
        fromDatabase.increment();
        String head = (String) em.createNativeQuery("SELECT state FROM rollout WHERE id = ?1")
                .setParameter(1, id)
                .getSingleResult();
        Map<String, String> parts = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT name, body FROM rollout_part WHERE rollout_id = ?1")
                .setParameter(1, id)
                .getResultList()) {
            Object[] r = (Object[]) row;
            parts.put((String) r[0], (String) r[1]);
        }
        List<StoredState.StatusRow> statuses = new ArrayList<>();
        for (Object row : em.createNativeQuery("SELECT service, cluster, position, phase, state, message"
                        + " FROM cluster_status WHERE rollout_id = ?1 ORDER BY service, position")
                .setParameter(1, id)
                .getResultList()) {
            Object[] r = (Object[]) row;
            statuses.add(new StoredState.StatusRow(
                    (String) r[0],
                    (String) r[1],
                    ((Number) r[2]).intValue(),
                    new StepState.ClusterStatus(ClusterPhase.valueOf((String) r[3]), (String) r[4], (String) r[5])));
        }
        RolloutState state = format.read(head, parts, statuses);
        remember(id, new Held(version, StoredState.Parts.of(state, parts)));
        return state;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean exists(String id) {
        return !em.createNativeQuery("SELECT 1 FROM rollout WHERE id = ?1")
                .setParameter(1, id)
                .getResultList()
                .isEmpty();
    }

    /** The ids of the rollouts of an application and ring that are not over. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> active(String application, int ring) {
        return em.createQuery(
                        "select r.id from RolloutRow r where r.application = ?1 and r.ring = ?2 and r.phase not in ?3",
                        String.class)
                .setParameter(1, application)
                .setParameter(2, ring)
                .setParameter(3, TERMINAL)
                .getResultList();
    }

    /**
     * Writes the state as a new version: its head, and those of its parts that differ from what is stored (see {@link
     * StoredState}), in one statement for a rollout locked by this transaction. Once the transaction commits, this
     * instance may reuse the state (see {@link #lock}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void save(RolloutState s) {
        Held held = Objects.requireNonNullElse((Held) transactions.getResource(heldKey(s.rolloutId)), Held.NEW);
        if (held.version() < 0) {
            insert(s);
            return;
        }
        if (write(s, held.version(), held.parts(), List.of(), Outbox.Rows.NONE) < 0) {
            throw new IllegalStateException("rollout " + s.rolloutId + " was saved without its lock");
        }
    }

    /**
     * A rollout's committed state that this instance holds, to change and store without locking its row first: see
     * {@link #take} and {@link #saveIfUnchanged}.
     */
    public static final class Taken {
        private final long version;
        private final RolloutState state;
        private final StoredState.Parts parts;

        private Taken(Cached c) {
            this.version = c.version();
            this.state = c.state();
            this.parts = c.parts();
        }

        public RolloutState state() {
            return state;
        }

        public long version() {
            return version;
        }
    }

    /**
     * The state of rollout {@code id} as this instance last committed it, taken out of the cache (so no other
     * transaction here uses it meanwhile; {@link #saveIfUnchanged} puts it back once stored), or empty when this
     * instance holds none. It may be out of date: another instance (or transaction) may have written the rollout since;
     * {@link #saveIfUnchanged} finds out.
     */
    public Optional<Taken> take(String id) {
        Cached c = committed.remove(id);
        if (c == null) {
            return Optional.empty();
        }
        fromCache.increment();
        return Optional.of(new Taken(c));
    }

    /**
     * Stores a taken state, changed, as its next version in one statement, without having locked its row: with it the
     * ids of the events applied to it (recorded as processed) and the events it sends ({@code sent}, see {@link
     * Outbox#rows}). On a machine whose cores are busy each round trip to the database waits to be scheduled twice, and
     * this is one where the locking path takes three (lock, outbox, state) before its commit.
     *
     * @return true when stored; false when the rollout's row is no longer at the taken version (written since, by
     *     another transaction or instance) or one of the events was applied before (a redelivery): then this
     *     transaction must be rolled back, and the inputs applied the locking way ({@link #open}), from the stored
     *     state. The taken state is not used again either way but as stored here.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean saveIfUnchanged(Taken t, Collection<String> eventIds, Outbox.Rows sent) {
        return write(t.state, t.version, t.parts, eventIds, sent) == new HashSet<>(eventIds).size();
    }

    /**
     * Writes a stored rollout's new version with {@link #WRITE} if its row is at {@code expected}. Once the transaction
     * commits, this instance may reuse the state (see {@link #lock}).
     *
     * @return how many of {@code eventIds} were fresh; -1 when the row was not at {@code expected} (nothing written)
     */
    private long write(
            RolloutState s, long expected, StoredState.Parts before, Collection<String> eventIds, Outbox.Rows sent) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String text = format.head(s);
        StoredState.Parts parts = format.parts(s, before);
        List<String> names = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        parts.json().forEach((name, body) -> {
            // the same String when the part was not written out again: equals() is then a reference check
            if (!body.equals(before.json().get(name))) {
                names.add(name);
                bodies.add(body);
            }
        });
        List<String> gone = parts.gone(before);
        StoredState.Statuses statuses = format.statuses(s);
        long version = expected + 1;
        long[] counts = new long[2];
        em.unwrap(Session.class).doWork(c -> {
            boolean whole = !statuses.whole().isEmpty();
            try (PreparedStatement w = c.prepareStatement(whole ? WRITE_WHOLE : WRITE)) {
                int i = 1;
                w.setString(i++, s.phase.name());
                w.setString(i++, text);
                w.setObject(i++, now);
                w.setLong(i++, version);
                w.setString(i++, s.rolloutId);
                w.setLong(i++, expected);
                w.setArray(i++, c.createArrayOf("text", eventIds.toArray()));
                w.setString(i++, s.rolloutId);
                w.setArray(i++, c.createArrayOf("text", names.toArray()));
                w.setArray(i++, c.createArrayOf("text", bodies.toArray()));
                w.setString(i++, s.rolloutId);
                w.setArray(i++, c.createArrayOf("text", gone.toArray()));
                i = setStatusRows(c, w, i, statuses.rows());
                w.setString(i++, s.rolloutId);
                if (whole) {
                    w.setString(i++, s.rolloutId);
                    w.setArray(i++, c.createArrayOf("text", statuses.whole().toArray()));
                }
                sent.bind(c, w, i);
                try (ResultSet r = w.executeQuery()) {
                    r.next();
                    counts[0] = r.getLong(1);
                    counts[1] = r.getLong(2);
                }
            }
        });
        if (counts[0] != 1) {
            return -1;
        }
        stored(s, version, parts);
        return counts[1];
    }

    /** A rollout's first version: its row, parts and status rows. */
    private void insert(RolloutState s) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String text = format.head(s);
        StoredState.Parts parts = format.parts(s, StoredState.Parts.NONE);
        StoredState.Statuses statuses = format.statuses(s);
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement i = c.prepareStatement(INSERT);
                    PreparedStatement p = c.prepareStatement(INSERT_PARTS);
                    PreparedStatement r = c.prepareStatement(INSERT_STATUSES)) {
                i.setString(1, s.rolloutId);
                i.setString(2, s.application);
                i.setInt(3, s.ring);
                i.setString(4, s.phase.name());
                i.setString(5, text);
                i.setObject(6, now);
                i.setObject(7, now);
                i.executeUpdate();
                p.setString(1, s.rolloutId);
                p.setArray(2, c.createArrayOf("text", parts.json().keySet().toArray()));
                p.setArray(3, c.createArrayOf("text", parts.json().values().toArray()));
                p.executeUpdate();
                if (!statuses.rows().isEmpty()) {
                    r.setString(1, s.rolloutId);
                    setStatusRows(c, r, 2, statuses.rows());
                    r.executeUpdate();
                }
            }
        });
        stored(s, 0, parts);
    }

    /**
     * After a write of version {@code version}: the next save writes what changes from here, compared with these
     * parts; once the transaction commits, this instance keeps the state for the next transaction.
     */
    private void stored(RolloutState s, long version, StoredState.Parts parts) {
        s.steps.values().forEach(StepState::storedAsIs); // the next save writes what changes from here
        remember(s.rolloutId, new Held(version, parts)); // a second save here compares with what this one wrote
        if (!s.phase.isTerminal()) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        keep(s.rolloutId, new Cached(version, s, parts));
                    }
                }
            });
        }
    }

    /** Sets the six arrays of {@link #STATUS_ROWS} from parameter {@code first} on; returns the next index. */
    private static int setStatusRows(Connection c, PreparedStatement st, int first, List<StoredState.StatusRow> rows)
            throws SQLException {
        int n = rows.size();
        Object[] service = new Object[n];
        Object[] cluster = new Object[n];
        Object[] position = new Object[n];
        Object[] phase = new Object[n];
        Object[] state = new Object[n];
        Object[] message = new Object[n];
        for (int i = 0; i < n; i++) {
            StoredState.StatusRow r = rows.get(i);
            service[i] = r.service();
            cluster[i] = r.cluster();
            position[i] = r.position();
            phase[i] = r.status().phase().name();
            state[i] = r.status().state();
            message[i] = r.status().message();
        }
        st.setArray(first, c.createArrayOf("text", service));
        st.setArray(first + 1, c.createArrayOf("text", cluster));
        st.setArray(first + 2, c.createArrayOf("int4", position));
        st.setArray(first + 3, c.createArrayOf("text", phase));
        st.setArray(first + 4, c.createArrayOf("text", state));
        st.setArray(first + 5, c.createArrayOf("text", message));
        return first + 6;
    }

    /**
     * The version and parts of a rollout as they are stored, for this transaction only (the row lock makes it the one
     * transaction working on the rollout): {@link #save} writes the parts that differ, and the next version.
     */
    private void remember(String rolloutId, Held held) {
        transactions.putResource(heldKey(rolloutId), held);
    }

    private static String heldKey(String rolloutId) {
        return RolloutRepository.class.getName() + "/held/" + rolloutId;
    }

    private void keep(String id, Cached c) {
        if (committed.size() >= MAX_CACHED && !committed.containsKey(id)) {
            committed.clear(); // a handful of rollouts run at once; this only bounds a pathological case
        }
        committed.merge(id, c, (old, now) -> now.version() >= old.version() ? now : old);
    }
}
