package dev.ringmaster.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The merger's thread and its channel side, with an apply that the test holds: what arrives while a transaction runs
 * is applied together, in order, within the limits; the channel is held back when too much waits.
 */
class BatchMergerTest {

    /** Each call of the apply, as the payloads it got. */
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();

    /** The apply announces each call here and waits until the test lets it finish. */
    private final BlockingQueue<List<String>> entered = new LinkedBlockingQueue<>();

    private final BlockingQueue<CompletableFuture<Void>> gates = new LinkedBlockingQueue<>();

    private volatile boolean stopping;

    private BatchMerger merger;

    @AfterEach
    void close() {
        gates.forEach(g -> g.complete(null));
        if (merger != null) {
            merger.close();
        }
    }

    private BatchMerger merger(int maxPerTransaction, int maxWaiting) {
        Consumer<List<KafkaRecord<String, String>>> apply = records -> {
            List<String> payloads =
                    records.stream().map(KafkaRecord::getPayload).toList();
            CompletableFuture<Void> gate = new CompletableFuture<>();
            gates.add(gate);
            entered.add(payloads);
            gate.join();
            calls.add(payloads);
            if (payloads.contains("boom")) {
                throw new IllegalStateException("an apply that throws");
            }
        };
        merger = new BatchMerger("test.topic", maxPerTransaction, maxWaiting, apply, () -> stopping);
        return merger;
    }

    @SuppressWarnings("unchecked")
    private static KafkaRecordBatch<String, String> batch(String... payloads) {
        List<KafkaRecord<String, String>> records = new ArrayList<>();
        for (String p : payloads) {
            records.add(KafkaRecord.of("k", p));
        }
        return (KafkaRecordBatch<String, String>) Proxy.newProxyInstance(
                BatchMergerTest.class.getClassLoader(),
                new Class<?>[] {KafkaRecordBatch.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("iterator")) {
                        return records.iterator();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Waits for the apply's next call and returns its payloads (the call is held until {@link #release}). */
    private List<String> nextCall() throws InterruptedException {
        List<String> call = entered.poll(10, TimeUnit.SECONDS);
        assertThat(call).as("the apply was called").isNotNull();
        return call;
    }

    /** Lets the apply's oldest held call finish. */
    private void release() throws InterruptedException {
        CompletableFuture<Void> gate = gates.poll(10, TimeUnit.SECONDS);
        assertThat(gate).isNotNull();
        gate.complete(null);
    }

    @Test
    void whatArrivesWhileATransactionRunsIsAppliedTogetherInOrder() throws Exception {
        BatchMerger m = merger(100, 1000);
        assertThat(m.offer(batch("a1", "a2"))).isCompleted();
        assertThat(nextCall()).containsExactly("a1", "a2");
        // the first transaction runs; three batches arrive meanwhile and are taken at once
        assertThat(m.offer(batch("b1"))).isCompleted();
        assertThat(m.offer(batch("c1", "c2"))).isCompleted();
        assertThat(m.offer(batch("d1"))).isCompleted();
        assertThat(m.waiting()).isEqualTo(4);
        release();
        assertThat(nextCall()).containsExactly("b1", "c1", "c2", "d1");
        assertThat(m.waiting()).isZero();
        release();
        m.offer(batch("e1"));
        assertThat(nextCall()).containsExactly("e1");
        release();
    }

    @Test
    void aTransactionTakesNoMoreThanItsLimitButAlwaysAWholeBatch() throws Exception {
        BatchMerger m = merger(3, 1000);
        m.offer(batch("a1"));
        assertThat(nextCall()).containsExactly("a1");
        m.offer(batch("b1", "b2"));
        m.offer(batch("c1", "c2")); // b + c would be 4 > 3
        m.offer(batch("d1", "d2", "d3", "d4")); // alone more than the limit
        m.offer(batch("e1"));
        release();
        assertThat(nextCall()).containsExactly("b1", "b2");
        release();
        assertThat(nextCall()).containsExactly("c1", "c2");
        release();
        assertThat(nextCall()).containsExactly("d1", "d2", "d3", "d4");
        release();
        assertThat(nextCall()).containsExactly("e1");
        release();
    }

    @Test
    void theChannelIsHeldBackWhileTooManyRecordsWait() throws Exception {
        BatchMerger m = merger(100, 3);
        m.offer(batch("a1"));
        assertThat(nextCall()).containsExactly("a1");
        assertThat(m.offer(batch("b1", "b2"))).isCompleted();
        CompletionStage<Void> full = m.offer(batch("c1")); // 3 waiting: no room for another batch
        assertThat(full).isNotCompleted();
        release();
        assertThat(nextCall()).containsExactly("b1", "b2", "c1");
        assertThat(full).as("the thread took them: room again").isCompleted();
        release();
    }

    @Test
    void anApplyThatThrowsDoesNotStopTheThread() throws Exception {
        BatchMerger m = merger(100, 1000);
        m.offer(batch("boom"));
        assertThat(nextCall()).containsExactly("boom");
        release();
        m.offer(batch("after"));
        assertThat(nextCall()).containsExactly("after");
        release();
    }

    @Test
    void whileTheServiceStopsNothingMoreIsTakenAndWhatWaitsStaysUnacknowledged() throws Exception {
        BatchMerger m = merger(100, 1000);
        m.offer(batch("a1"));
        assertThat(nextCall()).containsExactly("a1");
        m.offer(batch("b1"));
        stopping = true;
        release(); // the transaction in flight ends; b1 is not taken
        m.close();
        assertThat(calls).containsExactly(List.of("a1"));
        assertThat(m.offer(batch("c1")))
                .as("after close: left for the next instance")
                .isNotCompleted();
        assertThat(entered).isEmpty();
    }
}
