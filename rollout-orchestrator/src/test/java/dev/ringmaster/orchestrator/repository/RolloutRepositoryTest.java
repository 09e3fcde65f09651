package dev.ringmaster.orchestrator.repository;

import static dev.ringmaster.orchestrator.Fixtures.cluster;
import static dev.ringmaster.orchestrator.Fixtures.request;
import static dev.ringmaster.orchestrator.Fixtures.upgraded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.events.rollout.ServicePlan;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import dev.ringmaster.orchestrator.domain.ClusterPhase;
import dev.ringmaster.orchestrator.domain.Outgoing;
import dev.ringmaster.orchestrator.domain.RolloutMachine;
import dev.ringmaster.orchestrator.domain.RolloutPhase;
import dev.ringmaster.orchestrator.domain.RolloutState;
import dev.ringmaster.orchestrator.domain.StepState;
import dev.ringmaster.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The repository keeps the state it last committed and reuses it only while the row's version says nobody wrote the
 * rollout since; a transaction that rolls back leaves no trace of its changes.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RolloutRepositoryTest {

    @Inject
    RolloutRepository rollouts;

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    private String stored(RolloutPhase phase) {
        RolloutState s = new RolloutState();
        s.rolloutId = "r-" + UUID.randomUUID();
        s.application = "shop";
        s.ring = 0;
        s.phase = phase;
        QuarkusTransaction.requiringNew().run(() -> rollouts.save(s));
        return s.rolloutId;
    }

    private RolloutState locked(String id) {
        return QuarkusTransaction.requiringNew().call(() -> rollouts.lock(id).orElseThrow());
    }

    @Test
    void aCommittedStateIsReusedUntilSomeoneElseWritesTheRow() {
        String id = stored(RolloutPhase.RUNNING);
        RolloutState first = QuarkusTransaction.requiringNew().call(() -> {
            RolloutState s = rollouts.lock(id).orElseThrow();
            s.reason = "seen by this instance";
            rollouts.save(s);
            return s;
        });
        RolloutState again = QuarkusTransaction.requiringNew().call(() -> {
            RolloutState s = rollouts.lock(id).orElseThrow();
            rollouts.save(s);
            return s;
        });
        assertThat(again).isSameAs(first); // not parsed again

        // another instance writes the rollout: the row's version moves on, the held state is stale
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery(
                                "UPDATE rollout SET state = jsonb_set(state::jsonb, '{reason}', '\"written elsewhere\"')::text,"
                                        + " version = version + 1 WHERE id = ?1")
                        .setParameter(1, id)
                        .executeUpdate());
        RolloutState read = locked(id);
        assertThat(read).isNotSameAs(first);
        assertThat(read.reason).isEqualTo("written elsewhere");
    }

    @Test
    void aBatchRecordsItsEventsOnceAndLocksOnlyRolloutsThatExist() {
        String id = stored(RolloutPhase.RUNNING);
        String e1 = UUID.randomUUID().toString();
        String e2 = UUID.randomUUID().toString();
        RolloutState first = QuarkusTransaction.requiringNew().call(() -> {
            RolloutRepository.Opened o = rollouts.open(Map.of(e1, id, e2, "no-such-rollout"));
            assertThat(o.fresh()).containsExactlyInAnyOrder(e1, e2);
            assertThat(o.locked()).containsOnlyKeys(id);
            RolloutState s = o.locked().get(id);
            s.reason = "changed by a batch";
            rollouts.save(s);
            return s;
        });
        assertThat(version(id)).isEqualTo(1); // stored at 0, saved once

        String e3 = UUID.randomUUID().toString();
        RolloutState second = QuarkusTransaction.requiringNew().call(() -> {
            RolloutRepository.Opened o = rollouts.open(Map.of(e1, id, e3, id));
            assertThat(o.fresh()).containsExactly(e3); // e1 was applied by the first batch
            RolloutState s = o.locked().get(id);
            rollouts.save(s);
            return s;
        });
        assertThat(second).isSameAs(first); // the committed state, not parsed again
        assertThat(version(id)).isEqualTo(2);

        // a batch of redeliveries only: nothing fresh, nothing locked, and the committed state stays cached
        assertThat(QuarkusTransaction.requiringNew().call(() -> rollouts.open(Map.of(e3, id))))
                .satisfies(o -> assertThat(o.fresh()).isEmpty())
                .satisfies(o -> assertThat(o.locked()).isEmpty());
        assertThat(locked(id)).isSameAs(first);

        // a batch that rolls back records nothing: its events are fresh again
        String e4 = UUID.randomUUID().toString();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    rollouts.open(Map.of(e4, id));
                    throw new IllegalStateException("the batch fails");
                }))
                .hasMessage("the batch fails");
        assertThat(QuarkusTransaction.requiringNew()
                        .call(() -> rollouts.open(Map.of(e4, id)).fresh()))
                .containsExactly(e4);
        assertThat(locked(id).reason).isEqualTo("changed by a batch");
    }

    private long version(String id) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery("SELECT version FROM rollout WHERE id = ?1")
                                .setParameter(1, id)
                                .getSingleResult())
                        .longValue());
    }

    @Test
    void aRolledBackChangeIsNotSeenByTheNextTransaction() {
        String id = stored(RolloutPhase.RUNNING);
        locked(id); // whatever is held now
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    RolloutState s = rollouts.lock(id).orElseThrow();
                    s.phase = RolloutPhase.FAILED;
                    s.reason = "never committed";
                    rollouts.save(s);
                    throw new IllegalStateException("the batch fails after the save");
                }))
                .hasMessage("the batch fails after the save");
        RolloutState after = locked(id);
        assertThat(after.phase).isEqualTo(RolloutPhase.RUNNING);
        assertThat(after.reason).isNull();
    }

    @Test
    void aMissingRolloutIsEmptyAndAFinishedOneIsReadFromTheRow() {
        assertThat(QuarkusTransaction.requiringNew().call(() -> rollouts.lock("no-such-rollout")))
                .isEmpty();
        String id = stored(RolloutPhase.SUCCEEDED);
        RolloutState one = locked(id);
        RolloutState two = locked(id);
        assertThat(two).isNotSameAs(one).usingRecursiveComparison().isEqualTo(one);
        assertThat(two.phase).isEqualTo(RolloutPhase.SUCCEEDED);
    }

    @Test
    void aBatchWritesTheStatusRowsOfTheClustersItAnsweredForAndTheWholeReadsBack() {
        String id = "r-" + UUID.randomUUID();
        RolloutMachine machine = new RolloutMachine(Clock.systemUTC());
        storedWithStepACommitted(
                machine,
                id,
                List.of(upgraded("a"), upgraded("b", "a")),
                List.of(cluster("c1"), cluster("c2"), cluster("c3")));
        Map<String, String> parts = rowVersions(id);
        assertThat(parts).containsOnlyKeys("clusters");
        Map<String, String> before = statusVersions(id);
        assertThat(before).containsOnlyKeys("a/c1", "a/c2", "a/c3"); // b waits: no statuses yet

        RolloutState last = QuarkusTransaction.requiringNew().call(() -> {
            RolloutState l = rollouts.lock(id).orElseThrow();
            machine.apply(l, new ClusterReady(id, "a", "c1", "sha-a"));
            rollouts.save(l);
            return l;
        });
        Map<String, String> after = statusVersions(id);
        assertThat(after.get("a/c1")).isNotEqualTo(before.get("a/c1"));
        assertThat(after.get("a/c2")).isEqualTo(before.get("a/c2"));
        assertThat(after.get("a/c3")).isEqualTo(before.get("a/c3"));
        assertThat(rowVersions(id)).isEqualTo(parts); // the ring's clusters are not written again

        // read from the rows (another writer moved the version on): the same state as the one held
        writtenElsewhere(id);
        RolloutState read = locked(id);
        assertThat(read).isNotSameAs(last);
        assertThat(read.step("a").clusters.get("c1").phase()).isEqualTo(ClusterPhase.READY);
        assertThat(read)
                .usingRecursiveComparison()
                .ignoringFieldsMatchingRegexes(".*tally", ".*stored", ".*dirty", ".*position", ".*positioned")
                .isEqualTo(last);

        // a state read from the rows, changed and saved: only the answered cluster's row is written
        QuarkusTransaction.requiringNew().run(() -> {
            RolloutState l = rollouts.lock(id).orElseThrow();
            assertThat(l).isNotSameAs(read); // read from the rows again: nothing was saved after that lock
            machine.apply(l, new ClusterReady(id, "a", "c2", "sha-a"));
            rollouts.save(l);
        });
        Map<String, String> third = statusVersions(id);
        assertThat(third.get("a/c2")).isNotEqualTo(after.get("a/c2"));
        assertThat(third.get("a/c1")).isEqualTo(after.get("a/c1"));
        assertThat(third.get("a/c3")).isEqualTo(after.get("a/c3"));
        writtenElsewhere(id);
        assertThat(locked(id).step("a").clusters.get("c2").phase()).isEqualTo(ClusterPhase.READY);
    }

    @Test
    void statusesStoredAsPartsAreReadAndMoveToRowsAtTheNextSaveInTheirOrder() {
        String id = "r-" + UUID.randomUUID();
        RolloutMachine machine = new RolloutMachine(Clock.systemUTC());
        List<ClusterRef> ring = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ring.add(cluster(String.format("c%03d", 599 - i))); // names not in ring order: the order must survive
        }
        storedWithStepACommitted(machine, id, List.of(upgraded("a")), ring);
        List<String> order = ring.stream().map(ClusterRef::name).toList();
        writtenElsewhere(id);
        assertThat(locked(id).step("a").clusters.keySet()).containsExactlyElementsOf(order);

        // as a session-6 orchestrator stored them: in chunks of 256 clusters, no rows
        String answered = ring.get(300).name();
        StringBuilder[] chunks = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        for (int i = 0; i < ring.size(); i++) {
            String phase = i == 300 ? "READY" : "PENDING";
            StringBuilder chunk = chunks[i / 256];
            chunk.append(chunk.length() == 0 ? "{" : ",")
                    .append('"')
                    .append(ring.get(i).name())
                    .append("\":{\"phase\":\"")
                    .append(phase)
                    .append("\"}");
        }
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("DELETE FROM cluster_status WHERE rollout_id = ?1")
                    .setParameter(1, id)
                    .executeUpdate();
            for (int n = 0; n < chunks.length; n++) {
                em.createNativeQuery("INSERT INTO rollout_part (rollout_id, name, body) VALUES (?1, ?2, ?3)")
                        .setParameter(1, id)
                        .setParameter(2, "step/a/" + n)
                        .setParameter(3, chunks[n].append('}').toString())
                        .executeUpdate();
            }
        });
        writtenElsewhere(id);
        QuarkusTransaction.requiringNew().run(() -> {
            RolloutState l = rollouts.lock(id).orElseThrow();
            assertThat(l.step("a").clusters.keySet()).containsExactlyElementsOf(order);
            assertThat(l.step("a").clusters.get(answered).phase()).isEqualTo(ClusterPhase.READY);
            l.reason = "saved once";
            rollouts.save(l);
        });
        assertThat(rowVersions(id)).containsOnlyKeys("clusters"); // the chunks are gone ...
        assertThat(statusVersions(id)).hasSize(600); // ... their statuses are rows
        writtenElsewhere(id);
        RolloutState read = locked(id);
        assertThat(read.step("a").clusters.keySet()).containsExactlyElementsOf(order);
        assertThat(read.step("a").clusters.get(answered).phase()).isEqualTo(ClusterPhase.READY);
        assertThat(read.step("a").clusters.get(ring.get(0).name()).phase()).isEqualTo(ClusterPhase.PENDING);
    }

    @Test
    void aStepStartedAgainIsWrittenWholeAndLosesTheRowsOfClustersItNoLongerHas() {
        String id = "r-" + UUID.randomUUID();
        RolloutMachine machine = new RolloutMachine(Clock.systemUTC());
        storedWithStepACommitted(
                machine, id, List.of(upgraded("a")), List.of(cluster("c1"), cluster("c2"), cluster("c3")));
        QuarkusTransaction.requiringNew().run(() -> {
            RolloutState l = rollouts.lock(id).orElseThrow();
            StepState a = l.step("a");
            a.clusters = new java.util.LinkedHashMap<>(); // another map: the store writes it whole
            a.status("c3", StepState.ClusterStatus.READY);
            a.status("c1", StepState.ClusterStatus.PENDING);
            rollouts.save(l);
        });
        assertThat(statusVersions(id)).containsOnlyKeys("a/c3", "a/c1");
        writtenElsewhere(id);
        assertThat(locked(id).step("a").clusters.keySet()).containsExactly("c3", "c1");
    }

    @Test
    void aStateStoredWholeBeforeThePartsExistedIsRead() {
        String id = "r-" + UUID.randomUUID();
        String whole = "{\"rolloutId\":\"" + id + "\",\"application\":\"shop\",\"ring\":0,\"phase\":\"RUNNING\","
                + "\"clusters\":[{\"name\":\"c1\",\"ring\":0,\"fleetNamespace\":\"fleet-default\",\"fleetName\":\"c1\"}],"
                + "\"steps\":{}}";
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery(
                                "INSERT INTO rollout (id, application, ring, phase, state, created_at, updated_at)"
                                        + " VALUES (?1, 'shop', 0, 'RUNNING', ?2, now(), now())")
                        .setParameter(1, id)
                        .setParameter(2, whole)
                        .executeUpdate());
        RolloutState read = locked(id);
        assertThat(read.clusters).extracting(ClusterRef::name).containsExactly("c1");
    }

    @Test
    void aTakenStateIsStoredInOneStatementWithTheEventsItAppliedAndSends() {
        String id = "r-" + UUID.randomUUID();
        RolloutMachine machine = new RolloutMachine(Clock.systemUTC());
        storedWithStepACommitted(machine, id, List.of(upgraded("a")), List.of(cluster("c1"), cluster("c2")));
        Map<String, String> before = statusVersions(id);
        long v = version(id);

        RolloutRepository.Taken t = rollouts.take(id).orElseThrow();
        assertThat(rollouts.take(id)).isEmpty(); // taken: no other transaction of this instance uses it meanwhile
        assertThat(t.version()).isEqualTo(v);
        String e1 = UUID.randomUUID().toString();
        Outbox.Rows sent = rows(
                id,
                machine.apply(t.state(), new ClusterReady(id, "a", "c1", "sha-a"))
                        .messages());
        assertThat(sent.events()).isNotEmpty();
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(rollouts.saveIfUnchanged(t, List.of(e1), sent)).isTrue();
            assertThat(outboxed(sent)).isEqualTo(sent.events().size()); // before the commit: the relay cannot see them
        });
        assertThat(version(id)).isEqualTo(v + 1);
        assertThat(processed(e1)).isTrue();
        Map<String, String> after = statusVersions(id);
        assertThat(after.get("a/c1")).isNotEqualTo(before.get("a/c1"));
        assertThat(after.get("a/c2")).isEqualTo(before.get("a/c2"));
        assertThat(locked(id)).isSameAs(t.state()); // kept once committed
        writtenElsewhere(id);
        assertThat(locked(id).step("a").clusters.get("c1").phase()).isEqualTo(ClusterPhase.READY);
    }

    @Test
    void aTakenStateWrittenSinceIsNotStoredAndNothingOfItIsWritten() {
        String id = "r-" + UUID.randomUUID();
        RolloutMachine machine = new RolloutMachine(Clock.systemUTC());
        storedWithStepACommitted(machine, id, List.of(upgraded("a")), List.of(cluster("c1"), cluster("c2")));
        Map<String, String> before = statusVersions(id);
        RolloutRepository.Taken t = rollouts.take(id).orElseThrow();
        writtenElsewhere(id); // e.g. another instance, or this one's lock on another thread
        long v = version(id);

        String e1 = UUID.randomUUID().toString();
        Outbox.Rows sent = rows(
                id,
                machine.apply(t.state(), new ClusterReady(id, "a", "c1", "sha-a"))
                        .messages());
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    assertThat(rollouts.saveIfUnchanged(t, List.of(e1), sent)).isFalse();
                    // nothing written, even before the roll-back: every part of the statement waits for the head
                    assertThat(outboxed(sent)).isZero();
                    assertThat(statusVersions(id)).isEqualTo(before);
                    throw new IllegalStateException("rolled back, as the caller must");
                }))
                .hasMessage("rolled back, as the caller must");
        assertThat(version(id)).isEqualTo(v);
        assertThat(processed(e1)).isFalse();
        RolloutState read = locked(id);
        assertThat(read).isNotSameAs(t.state());
        assertThat(read.step("a").clusters.get("c1").phase()).isEqualTo(ClusterPhase.PENDING);
    }

    @Test
    void aTakenStateWithAnEventAppliedBeforeIsNotStoredOnceRolledBack() {
        String id = "r-" + UUID.randomUUID();
        RolloutMachine machine = new RolloutMachine(Clock.systemUTC());
        storedWithStepACommitted(machine, id, List.of(upgraded("a")), List.of(cluster("c1"), cluster("c2")));
        Map<String, String> before = statusVersions(id);
        String old = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> rollouts.markProcessed(old));
        long v = version(id);

        RolloutRepository.Taken t = rollouts.take(id).orElseThrow();
        String fresh = UUID.randomUUID().toString();
        Outbox.Rows sent = rows(
                id,
                machine.apply(t.state(), new ClusterReady(id, "a", "c2", "sha-a"))
                        .messages());
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    assertThat(rollouts.saveIfUnchanged(t, List.of(old, fresh), sent))
                            .isFalse();
                    throw new IllegalStateException("rolled back, as the caller must");
                }))
                .hasMessage("rolled back, as the caller must");
        assertThat(version(id)).isEqualTo(v);
        assertThat(processed(fresh)).isFalse();
        assertThat(statusVersions(id)).isEqualTo(before);
        assertThat(locked(id).step("a").clusters.get("c2").phase()).isEqualTo(ClusterPhase.PENDING);
    }

    private Outbox.Rows rows(String id, List<Outgoing> out) {
        return outbox.rows(out.stream()
                .map(o -> new Outbox.Entry(o.key(), id, o.payload()))
                .toList());
    }

    /** How many of the rows' events are in the outbox, seen from the caller's transaction. */
    private long outboxed(Outbox.Rows rows) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM outbox WHERE event_id::text = ANY (?1)")
                        .setParameter(1, rows.events().stream().map(e -> e.id()).toArray(String[]::new))
                        .getSingleResult())
                .longValue();
    }

    private boolean processed(String eventId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> !em.createNativeQuery("SELECT 1 FROM processed_event WHERE event_id = ?1")
                        .setParameter(1, eventId)
                        .getResultList()
                        .isEmpty());
    }

    /** Another instance writes the rollout: the version moves on, and the next lock reads the rows. */
    private void writtenElsewhere(String id) {
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery("UPDATE rollout SET version = version + 1 WHERE id = ?1")
                        .setParameter(1, id)
                        .executeUpdate());
    }

    /** A rollout stored, then its step "a" committed (its statuses PENDING on every cluster) and stored again. */
    private void storedWithStepACommitted(
            RolloutMachine machine, String id, List<ServicePlan> plans, List<ClusterRef> ring) {
        RolloutState s = new RolloutState();
        machine.start(request(id, plans, ring), s);
        QuarkusTransaction.requiringNew().run(() -> rollouts.save(s));
        QuarkusTransaction.requiringNew().run(() -> {
            RolloutState l = rollouts.lock(id).orElseThrow();
            machine.apply(
                    l,
                    new VersionCommitted(
                            id + ":a:1", id, "shop", "a", 0, "https://git.example.com/a.git", "2.0", "sha-a", true));
            rollouts.save(l);
        });
    }

    /** Each part's row version (PostgreSQL's xmin changes with every write of the row). */
    @SuppressWarnings("unchecked")
    private Map<String, String> rowVersions(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, String> v = new TreeMap<>();
            for (Object[] r : (List<Object[]>)
                    em.createNativeQuery("SELECT name, xmin::text FROM rollout_part WHERE rollout_id = ?1")
                            .setParameter(1, id)
                            .getResultList()) {
                v.put((String) r[0], (String) r[1]);
            }
            return v;
        });
    }

    /** Each status row's row version, by service/cluster. */
    @SuppressWarnings("unchecked")
    private Map<String, String> statusVersions(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, String> v = new TreeMap<>();
            for (Object[] r : (List<Object[]>) em.createNativeQuery(
                            "SELECT service || '/' || cluster, xmin::text FROM cluster_status WHERE rollout_id = ?1")
                    .setParameter(1, id)
                    .getResultList()) {
                v.put((String) r[0], (String) r[1]);
            }
            return v;
        });
    }
}
