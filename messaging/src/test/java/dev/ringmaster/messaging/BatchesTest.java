package dev.ringmaster.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.EventFormatException;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** The batch protocol with records whose acknowledgements are observed; the services' tests run it on a broker. */
class BatchesTest {

    private static final Logger LOG = Logger.getLogger(BatchesTest.class);

    /** Whether the service is stopping, as the consumers' {@link Stopping} says. */
    private volatile boolean stopping;

    /** What happened to each record, by payload: "ack", "nack", or "one" (handed to the one-by-one path). */
    private final Map<String, String> outcome = new ConcurrentHashMap<>();

    private KafkaRecord<String, String> record(String payload) {
        return KafkaRecord.of("k", payload)
                .withAck(() -> {
                    outcome.merge(payload, "ack", (a, b) -> a + "," + b);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(e -> {
                    outcome.merge(payload, "nack", (a, b) -> a + "," + b);
                    return CompletableFuture.completedFuture(null);
                });
    }

    @SuppressWarnings("unchecked")
    private KafkaRecordBatch<String, String> batch(String... payloads) {
        List<KafkaRecord<String, String>> records = new ArrayList<>();
        for (String p : payloads) {
            records.add(record(p));
        }
        return (KafkaRecordBatch<String, String>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {KafkaRecordBatch.class}, (proxy, method, args) -> {
                    if (method.getName().equals("iterator")) {
                        return records.iterator();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** "bad" is not an event; "skip" is one the service does not need; anything else is an item. */
    private static Optional<String> decode(String payload) {
        if (payload.equals("bad")) {
            throw new EventFormatException("not a CloudEvent", null);
        }
        return payload.equals("skip") ? Optional.empty() : Optional.of(payload);
    }

    private void consume(KafkaRecordBatch<String, String> batch, Batches.Applier<String> applier) throws Exception {
        Batches.consume(
                        batch,
                        "test.topic",
                        BatchesTest::decode,
                        applier,
                        (m, item) -> {
                            outcome.merge(item, "one", (a, b) -> a + "," + b);
                            return m.ack();
                        },
                        () -> stopping,
                        LOG)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBatchIsAppliedOnceThenAcknowledgedAndWhatItCannotReadIsParked() throws Exception {
        List<List<String>> applied = new ArrayList<>();
        AtomicInteger after = new AtomicInteger();
        consume(batch("a", "bad", "skip", "b"), items -> {
            applied.add(List.copyOf(items));
            return after::incrementAndGet;
        });
        assertThat(applied).containsExactly(List.of("a", "b"));
        assertThat(after).hasValue(1);
        assertThat(outcome)
                .containsOnly(
                        Map.entry("a", "ack"),
                        Map.entry("b", "ack"),
                        Map.entry("skip", "ack"),
                        Map.entry("bad", "nack"));
    }

    @Test
    void aBatchThatFailsOnceIsTriedAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        consume(batch("a", "b"), items -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("deadlock detected");
            }
            return () -> {};
        });
        assertThat(attempts).hasValue(2);
        assertThat(outcome).containsOnly(Map.entry("a", "ack"), Map.entry("b", "ack"));
    }

    @Test
    void aBatchThatKeepsFailingIsHandedOverItemByItemAndNothingRunsAfterIt() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        consume(batch("a", "bad", "b"), items -> {
            attempts.incrementAndGet();
            if (items.size() > 1) {
                throw new IllegalStateException("one of them cannot be applied");
            }
            return after::incrementAndGet;
        });
        assertThat(attempts).hasValue(Batches.BATCH_ATTEMPTS);
        assertThat(after).hasValue(0);
        assertThat(outcome)
                .containsOnly(Map.entry("a", "one,ack"), Map.entry("b", "one,ack"), Map.entry("bad", "nack"));
    }

    @Test
    void whileTheServiceStopsAFailedBatchIsLeftUnacknowledgedNotParked() throws Exception {
        stopping = true; // the shutdown closed the database pool under the batch
        AtomicInteger attempts = new AtomicInteger();
        var done = Batches.consume(
                        batch("a", "bad", "skip", "b"),
                        "test.topic",
                        BatchesTest::decode,
                        items -> {
                            attempts.incrementAndGet();
                            throw new IllegalStateException("EntityManagerFactory is closed");
                        },
                        (m, item) -> {
                            outcome.merge(item, "one", (a, b) -> a + "," + b);
                            return m.ack();
                        },
                        () -> stopping,
                        LOG)
                .toCompletableFuture();
        assertThat(attempts).as("no second attempt, no back-off").hasValue(1);
        assertThat(outcome)
                .as("a and b neither acknowledged, parked nor handed over one by one")
                .containsOnly(Map.entry("bad", "nack"), Map.entry("skip", "ack"));
        assertThat(done).isNotDone(); // their offsets are not committed: the next instance reads them
    }

    @Test
    void oneMessageIsTriedAgainParkedAtOnceWhenNotAnEventAndLeftWhileStopping() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Batches.retrying(
                        record("flaky"),
                        "flaky",
                        () -> {
                            if (runs.incrementAndGet() == 1) {
                                throw new IllegalStateException("connection reset");
                            }
                        },
                        () -> false,
                        LOG)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(runs).hasValue(2);

        Batches.retrying(
                        record("bad"),
                        "bad",
                        () -> {
                            throw new EventFormatException("no data", null);
                        },
                        () -> false,
                        LOG)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        AtomicInteger stoppingRuns = new AtomicInteger();
        var left = Batches.retrying(
                        record("late"),
                        "late",
                        () -> {
                            stoppingRuns.incrementAndGet();
                            throw new IllegalStateException("EntityManagerFactory is closed");
                        },
                        () -> true,
                        LOG)
                .toCompletableFuture();
        assertThat(stoppingRuns).hasValue(1);
        assertThat(left).isNotDone();
        assertThat(outcome).containsOnly(Map.entry("flaky", "ack"), Map.entry("bad", "nack"));
    }
}
