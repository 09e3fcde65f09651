package dev.ringmaster.fleetwatcher.messaging;

import static dev.ringmaster.infra.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.catalog.ClusterRegistered;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.fleetwatcher.fleet.FleetApi;
import dev.ringmaster.fleetwatcher.service.Watcher;
import dev.ringmaster.fleetwatcher.support.FleetSimResource;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An answer the broker does not take (here: every answer, the producer's request size being made too small) leaves
 * its expectation held and its AwaitReady unacknowledged; it is judged and sent again at the next tick, and the
 * AwaitReady is not parked (a parked one would leave its cluster to time out).
 */
@QuarkusTest
@TestProfile(UnsentAnswerTest.AnswersTooLarge.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FleetSimResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class UnsentAnswerTest {

    public static class AnswersTooLarge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.messaging.outgoing.fleet-events.max.request.size", "100",
                    "ringmaster.fleet.tick", "200ms");
        }
    }

    private static final EventCodec CODEC = new EventCodec();

    @Inject
    Watcher watcher;

    @Inject
    MeterRegistry metrics;

    private final String broker = KafkaTestResource.bootstrapServers();

    private void send(String topic, String key, Object payload) {
        CloudEvent e = CODEC.wrap("/test", key, payload);
        TopicReader.sendStructured(broker, topic, List.of(Map.entry(key, CODEC.encode(e))));
    }

    @Test
    void anAnswerTheBrokerRefusesIsHeldAndSentAgainNotParked() throws Exception {
        send(
                Topics.CATALOG_EVENTS,
                "shop",
                new ClusterRegistered("shop", new ClusterRef("c0a", 0, "fleet-default", "c0a"), "ring"));
        send(Topics.CATALOG_EVENTS, "shop", FleetSimResource.webService());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> FleetSimResource.sim
                                .client()
                                .genericKubernetesResources(FleetApi.BUNDLE_DEPLOYMENT)
                                .inNamespace(FleetSimResource.sim.clusterNamespace("c0a"))
                                .withName("shop-web")
                                .get()
                        != null);
        Path clone = Files.createTempDirectory("unsent");
        git(clone, "clone", "-q", FleetSimResource.repoUrl.replace("http://", "http://fleet:s3cret@"), "w");
        String deployed = git(clone.resolve("w"), "rev-parse", "HEAD").trim();

        try (TopicReader parked = new TopicReader(broker, Topics.FLEET_WATCHES + ".dlq")) {
            // c0a runs the head commit already: the answer is ClusterReady at once, and the broker refuses it
            send(
                    Topics.FLEET_WATCHES,
                    "c0a",
                    new AwaitReady(
                            "r-unsent",
                            "shop",
                            "web",
                            FleetSimResource.repoUrl,
                            ".",
                            deployed,
                            "v",
                            new ClusterRef("c0a", 0, "fleet-default", "c0a"),
                            OffsetDateTime.now().plusMinutes(5)));
            await().atMost(Duration.ofSeconds(30)).until(() -> unsent() >= 3); // refused, held, judged again, ...
            assertThat(watcher.pending()).isEqualTo(1); // still held, not dropped
            assertThat(parked.awaitCaughtUp(Duration.ofSeconds(30)).values()).isEmpty(); // not parked
        }
    }

    private double unsent() {
        return metrics.counter("ringmaster.watcher.answers.unsent").count();
    }
}
