package dev.ringmaster.orchestrator.service;

import static dev.ringmaster.orchestrator.Fixtures.cluster;
import static dev.ringmaster.orchestrator.Fixtures.request;
import static dev.ringmaster.orchestrator.Fixtures.upgraded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import dev.ringmaster.orchestrator.domain.ClusterPhase;
import dev.ringmaster.orchestrator.domain.RolloutState;
import dev.ringmaster.orchestrator.domain.StepPhase;
import dev.ringmaster.orchestrator.repository.RolloutRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A batch of Fleet's answers is stored with one statement when this instance holds the rollout's committed state, and
 * the locking way when that statement finds an answer applied before or the rollout written since: the same effect
 * either way, and never an error the consumer would have to retry.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RolloutServiceTest {

    @Inject
    RolloutService service;

    @Inject
    RolloutRepository rollouts;

    @Inject
    MeterRegistry registry;

    @Inject
    EntityManager em;

    @Test
    void answersAreStoredWithOneStatementAndFallBackToTheLockingWayWithoutAnError() {
        String id = "r-" + UUID.randomUUID();
        startedWithACommitted(id);
        Map<String, Double> before = batches();
        Map<String, Double> readsBefore = reads();

        String e1 = UUID.randomUUID().toString();
        assertThat(service.applyAll(List.of(ready(e1, id, "c1")))).isEqualTo(1);
        assertThat(delta(before)).containsEntry("one-statement", 1.0).containsEntry("locked", 0.0);
        assertThat(readsSince(readsBefore)).containsEntry("cache", 1.0).containsEntry("database", 0.0);

        // the rollout written by another transaction since this instance stored it: the one statement finds the row
        // at another version and rolls back; the locking way applies the answer from the stored state
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery("UPDATE rollout SET version = version + 1 WHERE id = ?1")
                        .setParameter(1, id)
                        .executeUpdate());
        String e2 = UUID.randomUUID().toString();
        assertThat(service.applyAll(List.of(ready(e2, id, "c2")))).isEqualTo(1);
        assertThat(delta(before))
                .containsEntry("one-statement", 1.0)
                .containsEntry("rolled-back", 1.0)
                .containsEntry("locked", 1.0);
        // the one statement took the cached state; the locking way found it out of date and read the stored one
        assertThat(readsSince(readsBefore)).containsEntry("cache", 2.0).containsEntry("database", 1.0);

        // a redelivery: the one statement finds e1 recorded and rolls back; the locking way skips it
        assertThat(service.applyAll(List.of(ready(e1, id, "c1")))).isZero();
        assertThat(delta(before))
                .containsEntry("one-statement", 1.0)
                .containsEntry("rolled-back", 2.0)
                .containsEntry("locked", 2.0);
        // the locking way cached what it stored, and locks no rollout for an answer applied before: nothing read
        assertThat(readsSince(readsBefore)).containsEntry("cache", 3.0).containsEntry("database", 1.0);

        RolloutState s = state(id);
        assertThat(s.step("a").clusters.values()).allMatch(c -> c.phase() == ClusterPhase.READY);
        assertThat(s.step("a").phase).isEqualTo(StepPhase.DONE);
        assertThat(s.step("b").phase).isEqualTo(StepPhase.COMMITTING); // its dependency runs everywhere: bumped
    }

    private RolloutState state(String id) {
        return QuarkusTransaction.requiringNew().call(() -> rollouts.lock(id).orElseThrow());
    }

    private void startedWithACommitted(String id) {
        service.apply(
                UUID.randomUUID().toString(),
                request(id, List.of(upgraded("a"), upgraded("b", "a")), List.of(cluster("c1"), cluster("c2"))));
        service.apply(
                UUID.randomUUID().toString(),
                new VersionCommitted(
                        id + ":a:1", id, "shop", "a", 0, "https://git.example.com/a.git", "2.0", "sha-a", true));
    }

    private static RolloutService.Input ready(String eventId, String rolloutId, String cluster) {
        return new RolloutService.Input(eventId, new ClusterReady(rolloutId, "a", cluster, "sha-a"));
    }

    private Map<String, Double> batches() {
        return counters("ringmaster.orchestrator.batches", "write", "one-statement", "rolled-back", "locked");
    }

    private Map<String, Double> delta(Map<String, Double> before) {
        return since(before, batches());
    }

    private Map<String, Double> reads() {
        return counters("ringmaster.orchestrator.state.reads", "from", "cache", "database");
    }

    private Map<String, Double> readsSince(Map<String, Double> before) {
        return since(before, reads());
    }

    private Map<String, Double> counters(String name, String tag, String... values) {
        return Stream.of(values)
                .collect(Collectors.toMap(
                        v -> v, v -> registry.counter(name, tag, v).count()));
    }

    private static Map<String, Double> since(Map<String, Double> before, Map<String, Double> now) {
        return now.keySet().stream().collect(Collectors.toMap(k -> k, k -> now.get(k) - before.get(k)));
    }
}
