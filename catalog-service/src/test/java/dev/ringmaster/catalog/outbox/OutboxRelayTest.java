package dev.ringmaster.catalog.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.catalog.ApplicationCreated;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import dev.ringmaster.outbox.Outbox;
import dev.ringmaster.outbox.OutboxRelay;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The relay takes a batch out of the outbox before it publishes it: what the broker does not acknowledge must still be
 * in the outbox afterwards (the take rolls back), and be published later.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OutboxRelayTest {

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    EntityManager em;

    @Test
    void anEventTheBrokerDoesNotAcknowledgeStaysInTheOutbox() {
        String app = "relay-" + UUID.randomUUID().toString().substring(0, 8);
        // a record larger than the producer's max.request.size (1 MB): its send fails, and no retry helps
        String tooLarge = "x".repeat(1_100_000);
        QuarkusTransaction.requiringNew()
                .run(() -> outbox.append(app, app, new ApplicationCreated(app, tooLarge, "ring", "ring-{n}")));
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> relay.lastError() != null && relay.lastError().contains("RecordTooLarge"));
            assertThat(rows(app)).isEqualTo(1); // taken out for the attempt, and back after it failed
        } finally {
            QuarkusTransaction.requiringNew()
                    .run(() -> em.createNativeQuery("DELETE FROM outbox WHERE message_key = ?1")
                            .setParameter(1, app)
                            .executeUpdate());
        }
        // the relay goes on with what comes next
        String next = app + "-next";
        QuarkusTransaction.requiringNew()
                .run(() -> outbox.append(next, next, new ApplicationCreated(next, "", "ring", "ring-{n}")));
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(next) == 0 && relay.lastError() == null);
    }

    private long rows(String key) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM outbox WHERE message_key = ?1")
                                .setParameter(1, key)
                                .getSingleResult())
                        .longValue());
    }
}
