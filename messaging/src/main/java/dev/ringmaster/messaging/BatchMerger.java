package dev.ringmaster.messaging;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Applies the records of a batch channel in as few transactions as the load allows, each record waiting for at most
 * the transaction in flight.
 *
 * <p>Why: SmallRye polls ahead of a consumer. While one batch is applied, the next poll's records wait in its queue
 * as a batch of their own, and the poll after that is held back; under a steady stream each transaction then applies
 * only what arrived during the one before, and a record waits one to two transactions before its own begins. In the
 * orchestrator (benchmark, 100 clusters) records were 50–100 ms old when their batch of 10–40 began, at 10–20 ms a
 * batch. A merger takes each batch from the channel at once — the channel's method returns without waiting — and
 * its own thread applies everything that arrived meanwhile together: the batches merge, and a record's wait is the
 * transaction in flight.
 *
 * <p>Order is kept: one thread applies the batches in the order the channel delivered them. Acknowledgements stay per
 * record and after the commit ({@link Batches#consume} does the applying). At most {@code maxWaiting} records wait:
 * beyond that {@link #offer} returns a stage that completes once the thread took some, and SmallRye, which delivers
 * the next batch only when that stage completes, stops polling. A transaction takes at most {@code
 * maxPerTransaction} records (and at least one whole batch). While the service stops, the thread takes nothing more:
 * what waits is left unacknowledged for the instance that takes the partitions over.
 */
public final class BatchMerger implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchMerger.class);

    private final String topic;
    private final int maxPerTransaction;
    private final int maxWaiting;
    private final Consumer<List<KafkaRecord<String, String>>> apply;
    private final BooleanSupplier stopping;
    private final Thread thread;

    // guarded by this
    private final ArrayDeque<List<KafkaRecord<String, String>>> waiting = new ArrayDeque<>();
    private int waitingRecords;
    private CompletableFuture<Void> room; // the channel's last offer, when it found no room
    private boolean closed;

    /**
     * @param topic names the thread and the log lines
     * @param maxPerTransaction records merged into one transaction at most (a bigger batch is applied alone)
     * @param maxWaiting records waiting at most before the channel is held back
     * @param apply applies and acknowledges records in one transaction, e.g. with {@link Batches#consume}; runs on
     *     the merger's thread, one call at a time
     * @param stopping whether the service is stopping
     */
    public BatchMerger(
            String topic,
            int maxPerTransaction,
            int maxWaiting,
            Consumer<List<KafkaRecord<String, String>>> apply,
            BooleanSupplier stopping) {
        this.topic = topic;
        this.maxPerTransaction = maxPerTransaction;
        this.maxWaiting = maxWaiting;
        this.apply = apply;
        this.stopping = stopping;
        this.thread = new Thread(this::run, topic + "-applier");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Takes a batch from the channel: the channel's method returns this.
     *
     * @return completed when there is room for the next batch, otherwise completes once there is
     */
    public synchronized CompletionStage<Void> offer(KafkaRecordBatch<String, String> batch) {
        List<KafkaRecord<String, String>> records = new ArrayList<>();
        for (KafkaRecord<String, String> r : batch) {
            records.add(r);
        }
        if (LOG.isDebugEnabled()) {
            // where a record waits before its transaction: here (the broker and SmallRye), or behind one in flight
            long now = System.currentTimeMillis();
            LongSummaryStatistics sent = records.stream()
                    .filter(r -> r.getTimestamp() != null) // a record without one says nothing here
                    .mapToLong(r -> r.getTimestamp().toEpochMilli())
                    .summaryStatistics();
            if (sent.getCount() > 0) {
                LOG.debugf(
                        "took %d records of %s (%d waiting); sent %d to %d ms ago",
                        records.size(), topic, waitingRecords, now - sent.getMax(), now - sent.getMin());
            }
        }
        if (closed) {
            return Batches.unacknowledged(records.size() + " records of " + topic, LOG);
        }
        waiting.addLast(records);
        waitingRecords += records.size();
        notifyAll();
        if (waitingRecords < maxWaiting) {
            return CompletableFuture.completedFuture(null);
        }
        room = new CompletableFuture<>();
        return room;
    }

    /** Records waiting for the thread (for a test or a gauge). */
    public synchronized int waiting() {
        return waitingRecords;
    }

    private void run() {
        try {
            applyAsTheyCome();
        } catch (Error e) {
            // the channel stops here: its records are no longer acknowledged, and the channel's health check fails
            // once the oldest is older than the commit strategy allows (SmallRye's throttled strategy: 60 s)
            LOG.errorf(e, "the applier of %s stopped", topic);
            throw e;
        }
    }

    private void applyAsTheyCome() {
        while (true) {
            List<KafkaRecord<String, String>> records;
            CompletableFuture<Void> freed = null;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (closed || stopping.getAsBoolean()) {
                    closed = true;
                    if (waitingRecords > 0) {
                        Batches.unacknowledged(waitingRecords + " waiting records of " + topic, LOG);
                    }
                    return;
                }
                records = new ArrayList<>(waiting.removeFirst());
                while (!waiting.isEmpty()
                        && records.size() + waiting.peekFirst().size() <= maxPerTransaction) {
                    records.addAll(waiting.removeFirst());
                }
                waitingRecords -= records.size();
                if (room != null && waitingRecords < maxWaiting) {
                    freed = room;
                    room = null;
                }
            }
            if (freed != null) {
                freed.complete(null); // outside the lock: SmallRye may deliver the next batch on this thread
            }
            try {
                apply.accept(records);
            } catch (RuntimeException e) {
                // Batches.consume throws nothing; another apply might: its records stay unacknowledged, logged
                LOG.errorf(e, "applying %d records of %s failed; they stay unacknowledged", records.size(), topic);
            }
        }
    }

    /** Stops the thread after the transaction in flight; what still waits is left unacknowledged. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
