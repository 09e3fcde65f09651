package dev.ringmaster.orchestrator.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.events.rollout.RolloutPolicy;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.ServicePlan;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import dev.ringmaster.orchestrator.domain.ClusterPhase;
import dev.ringmaster.orchestrator.domain.RolloutMachine;
import dev.ringmaster.orchestrator.domain.RolloutPhase;
import dev.ringmaster.orchestrator.domain.RolloutState;
import dev.ringmaster.orchestrator.domain.StepState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.OffsetDateTime;
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
    void onlyThePartsABatchChangedAreWrittenAndTheWholeReadsBack() {
        String id = "r-" + UUID.randomUUID();
        RolloutMachine machine = new RolloutMachine(Clock.systemUTC());
        storedWithStepACommitted(
                machine, id, List.of(plan("a"), plan("b", "a")), List.of(cluster("c1"), cluster("c2"), cluster("c3")));
        Map<String, String> before = rowVersions(id);
        assertThat(before).containsOnlyKeys("clusters", "step/a", "step/b");

        RolloutState last = QuarkusTransaction.requiringNew().call(() -> {
            RolloutState l = rollouts.lock(id).orElseThrow();
            machine.apply(l, new ClusterReady(id, "a", "c1", "sha-a"));
            rollouts.save(l);
            return l;
        });
        Map<String, String> after = rowVersions(id);
        assertThat(after.get("step/a")).isNotEqualTo(before.get("step/a"));
        assertThat(after.get("clusters")).isEqualTo(before.get("clusters"));
        assertThat(after.get("step/b")).isEqualTo(before.get("step/b"));

        // read from the rows (another writer moved the version on): the same state as the one held
        writtenElsewhere(id);
        RolloutState read = locked(id);
        assertThat(read).isNotSameAs(last);
        assertThat(read.step("a").clusters.get("c1").phase()).isEqualTo(ClusterPhase.READY);
        assertThat(read)
                .usingRecursiveComparison()
                .ignoringFieldsMatchingRegexes(".*tally", ".*changes", ".*chunkChanges", ".*position", ".*indexed")
                .isEqualTo(last);

        // a state read from the rows, changed and saved: the change is written although no part was written out to
        // compare (the step's map is the one read, its change count moved)
        QuarkusTransaction.requiringNew().run(() -> {
            RolloutState l = rollouts.lock(id).orElseThrow();
            assertThat(l).isNotSameAs(read); // read from the rows again: nothing was saved after that lock
            machine.apply(l, new ClusterReady(id, "a", "c2", "sha-a"));
            rollouts.save(l);
        });
        assertThat(rowVersions(id).get("step/a")).isNotEqualTo(after.get("step/a"));
        assertThat(rowVersions(id).get("step/b")).isEqualTo(before.get("step/b"));
        writtenElsewhere(id);
        assertThat(locked(id).step("a").clusters.get("c2").phase()).isEqualTo(ClusterPhase.READY);
    }

    @Test
    void aLargeStepIsStoredInChunksAndAnAnswerRewritesOnlyItsChunk() {
        String id = "r-" + UUID.randomUUID();
        RolloutMachine machine = new RolloutMachine(Clock.systemUTC());
        List<ClusterRef> ring = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) { // three chunks: 256 + 256 + 88
            ring.add(cluster(String.format("c%03d", 599 - i))); // names not in ring order: the order must survive
        }
        storedWithStepACommitted(machine, id, List.of(plan("a")), ring);
        Map<String, String> before = rowVersions(id);
        assertThat(before).containsOnlyKeys("clusters", "step/a/0", "step/a/1", "step/a/2");

        // the 300th cluster of the ring is in chunk 1
        String answered = ring.get(300).name();
        RolloutState last = QuarkusTransaction.requiringNew().call(() -> {
            RolloutState l = rollouts.lock(id).orElseThrow();
            machine.apply(l, new ClusterReady(id, "a", answered, "sha-a"));
            rollouts.save(l);
            return l;
        });
        Map<String, String> after = rowVersions(id);
        assertThat(after.get("step/a/1")).isNotEqualTo(before.get("step/a/1"));
        assertThat(after.get("step/a/0")).isEqualTo(before.get("step/a/0"));
        assertThat(after.get("step/a/2")).isEqualTo(before.get("step/a/2"));

        // read from the rows: the same statuses in the same order
        writtenElsewhere(id);
        RolloutState read = locked(id);
        assertThat(read).isNotSameAs(last);
        assertThat(read.step("a").clusters.keySet())
                .containsExactlyElementsOf(ring.stream().map(ClusterRef::name).toList());
        assertThat(read.step("a").clusters.get(answered).phase()).isEqualTo(ClusterPhase.READY);

        // a step stored whole (before chunks) is written in chunks at its next save, and the whole part goes
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery("DELETE FROM rollout_part WHERE rollout_id = ?1 AND name LIKE 'step/%'")
                        .setParameter(1, id)
                        .executeUpdate());
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery(
                                "INSERT INTO rollout_part (rollout_id, name, body) VALUES (?1, 'step/a', ?2)")
                        .setParameter(1, id)
                        .setParameter(2, "{\"" + answered + "\":{\"phase\":\"READY\"}}")
                        .executeUpdate());
        writtenElsewhere(id);
        QuarkusTransaction.requiringNew().run(() -> {
            RolloutState l = rollouts.lock(id).orElseThrow();
            assertThat(l.step("a").clusters).containsOnlyKeys(answered);
            for (int i = 0; i < 300; i++) {
                l.step("a").status(ring.get(i).name(), StepState.ClusterStatus.PENDING);
            }
            rollouts.save(l);
        });
        assertThat(rowVersions(id)).containsOnlyKeys("clusters", "step/a/0", "step/a/1");
        writtenElsewhere(id);
        assertThat(locked(id).step("a").clusters).hasSize(301).containsKey(answered);
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
        machine.start(
                new RolloutRequested(
                        id,
                        "shop",
                        0,
                        OffsetDateTime.now(),
                        "alice",
                        "ring",
                        "ring-{n}",
                        RolloutPolicy.DEFAULT,
                        plans,
                        ring),
                s);
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

    private static ServicePlan plan(String name, String... deps) {
        return new ServicePlan(
                name,
                "https://git.example.com/" + name + ".git",
                "main",
                ".",
                "helm.values.image.tag",
                "1.0",
                "2.0",
                List.of(deps));
    }

    private static ClusterRef cluster(String name) {
        return new ClusterRef(name, 0, "fleet-default", name);
    }
}
