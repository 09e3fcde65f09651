package dev.ringmaster.messaging;

import dev.ringmaster.events.EventFormatException;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes a batch of Kafka records (what one poll returned) at least once, the same way in every service:
 *
 * <ol>
 *   <li>each record is decoded; one that is not a Ringmaster event is parked at once (nacked: the channel's
 *       dead-letter topic keeps it with the reason), one the service does not need is acknowledged and skipped;
 *   <li>the decoded items are applied together, in one transaction, tried twice;
 *   <li>if the batch still fails, each item is applied alone with the service's own retries, so that only an item
 *       that itself cannot be applied is parked.
 * </ol>
 *
 * Offsets follow the acknowledgements: nothing is acknowledged before its effect committed. Nothing is thrown into
 * the stream, which would stop the channel. While the service stops (see {@link Stopping}) a failure is the
 * shutdown's (its database pool closes under a batch in flight), not the records': they are left unacknowledged for
 * the instance that takes the partitions over, never parked.
 */
public final class Batches {

    /** Attempts at a whole batch before it is applied item by item. */
    static final int BATCH_ATTEMPTS = 2;

    /** What a record's payload means to the service: an item to apply, or empty for a record to skip. */
    @FunctionalInterface
    public interface Decoder<T> {
        /** @throws EventFormatException when the payload is not a Ringmaster event (the record is parked) */
        Optional<T> decode(String payload);
    }

    /** Applies a batch's items in one transaction; returns what to do once it committed (may be a no-op). */
    @FunctionalInterface
    public interface Applier<T> {
        Runnable applyAll(List<T> items);
    }

    private Batches() {}

    /**
     * @param batch the records of one poll (or of several, merged by a {@link BatchMerger})
     * @param topic for the log
     * @param decoder payload to item
     * @param applier the batch in one transaction
     * @param oneByOne one record and its item, with the service's retries; acks or nacks the record itself
     * @param stopping whether the service is stopping
     * @param log the service's logger
     * @return completes when every record was acknowledged or parked
     */
    public static <T> CompletionStage<Void> consume(
            Iterable<KafkaRecord<String, String>> batch,
            String topic,
            Decoder<T> decoder,
            Applier<T> applier,
            BiFunction<Message<String>, T, CompletionStage<Void>> oneByOne,
            BooleanSupplier stopping,
            Logger log) {
        List<T> items = new ArrayList<>();
        List<Message<String>> decoded = new ArrayList<>();
        List<CompletionStage<Void>> done = new ArrayList<>();
        for (KafkaRecord<String, String> m : batch) {
            try {
                Optional<T> item = decoder.decode(m.getPayload());
                if (item.isPresent()) {
                    items.add(item.get());
                    decoded.add(m);
                } else {
                    done.add(m.ack());
                }
            } catch (EventFormatException e) {
                log.errorf("parking a message of %s that is not a Ringmaster event: %s", topic, e.getMessage());
                done.add(m.nack(e));
            }
        }
        if (!items.isEmpty()) {
            Runnable committed = applyBatch(items, topic, applier, stopping, log);
            if (committed != null) {
                committed.run();
                decoded.forEach(m -> done.add(m.ack()));
            } else if (stopping.getAsBoolean()) {
                done.add(unacknowledged(decoded.size() + " records of " + topic, log));
            } else {
                for (int i = 0; i < decoded.size(); i++) {
                    done.add(oneByOne.apply(decoded.get(i), items.get(i)));
                }
            }
        }
        return CompletableFuture.allOf(
                        done.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
                .thenApply(x -> null);
    }

    /** What to do after the batch committed, or null when it could not be applied as a whole. */
    private static <T> Runnable applyBatch(
            List<T> items, String topic, Applier<T> applier, BooleanSupplier stopping, Logger log) {
        for (int attempt = 1; attempt <= BATCH_ATTEMPTS; attempt++) {
            try {
                return applier.applyAll(items);
            } catch (RuntimeException e) {
                log.warnf(
                        "error applying a batch of %d records of %s, attempt %d%s: %s",
                        items.size(),
                        topic,
                        attempt,
                        attempt < BATCH_ATTEMPTS ? "" : "; now one by one",
                        e.getMessage());
                if (stopping.getAsBoolean() || (attempt < BATCH_ATTEMPTS && !backoff(attempt))) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Attempts at one message before it is parked. */
    static final int ATTEMPTS = 5;

    /**
     * One message in its own transaction, the path every service's single messages (and a failed batch's items) take:
     * acknowledged once {@code action} ran; parked at once when it is not a Ringmaster event ({@link
     * EventFormatException}); otherwise tried {@value #ATTEMPTS} times with {@link #backoff}, then parked. While the
     * service stops (or the back-off is interrupted, which is how a stop shows) it is left unacknowledged instead.
     *
     * @param what names the message in the log, e.g. "event 1234 (ClusterReady)"
     */
    public static CompletionStage<Void> retrying(
            Message<?> m, String what, Runnable action, BooleanSupplier stopping, Logger log) {
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                return m.ack();
            } catch (EventFormatException e) {
                log.errorf("parking %s: %s", what, e.getMessage());
                return m.nack(e);
            } catch (RuntimeException e) {
                if (stopping.getAsBoolean()) {
                    return unacknowledged(what, log);
                }
                if (attempt >= ATTEMPTS) {
                    log.errorf(e, "cannot apply %s after %d attempts; parking it", what, attempt);
                    return m.nack(e);
                }
                log.warnf("error applying %s, attempt %d: %s", what, attempt, e.getMessage());
                if (!backoff(attempt)) {
                    return unacknowledged(what, log);
                }
            }
        }
    }

    /**
     * What a consumer returns for records it leaves for the next instance because this one is stopping: never
     * completes, so they are neither acknowledged (their offsets are not committed) nor parked.
     */
    public static CompletionStage<Void> unacknowledged(String what, Logger log) {
        log.infof("stopping: %s left unacknowledged for the instance that takes the partitions over", what);
        return new CompletableFuture<>();
    }

    /** Waits before the next attempt at the database (200 ms, 400 ms, ...); false when interrupted. */
    public static boolean backoff(int attempt) {
        try {
            Thread.sleep(200L << attempt);
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
