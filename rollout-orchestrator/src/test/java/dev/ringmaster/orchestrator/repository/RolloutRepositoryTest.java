package dev.ringmaster.orchestrator.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import dev.ringmaster.orchestrator.domain.RolloutPhase;
import dev.ringmaster.orchestrator.domain.RolloutState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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
}
