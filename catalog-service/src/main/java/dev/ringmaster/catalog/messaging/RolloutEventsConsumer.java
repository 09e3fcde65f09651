package dev.ringmaster.catalog.messaging;

import dev.ringmaster.catalog.service.RolloutViews;
import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventFormatException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes rollout.events into the catalog's projection, a batch per poll, then hands each newly applied event to live
 * subscribers. Nothing is thrown into the stream: an unreadable message is nacked (kept on rollout.events.dlq with the
 * reason); a failure to apply is tried again, then nacked.
 */
@ApplicationScoped
public class RolloutEventsConsumer {

    private static final Logger LOG = Logger.getLogger(RolloutEventsConsumer.class);
    private static final int ATTEMPTS = 5;
    private static final int BATCH_ATTEMPTS = 2;

    private final RolloutProjection projection;
    private final RolloutStream stream;
    private final EventCodec codec;

    public RolloutEventsConsumer(RolloutProjection projection, RolloutStream stream, EventCodec codec) {
        this.projection = projection;
        this.stream = stream;
        this.codec = codec;
    }

    /**
     * A batch (what one poll returned) is projected in one transaction, then its newly applied events go to live
     * subscribers in order. A batch that fails twice is projected message by message, so that only a message that
     * itself cannot be applied is parked.
     */
    @Incoming("rollout-events")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<RolloutProjection.Received> received = new ArrayList<>();
        List<Message<String>> decoded = new ArrayList<>();
        List<CompletionStage<Void>> done = new ArrayList<>();
        for (KafkaRecord<String, String> m : batch) {
            try {
                received.add(new RolloutProjection.Received(codec.decode(m.getPayload()), m.getPayload()));
                decoded.add(m);
            } catch (EventFormatException e) {
                LOG.errorf("parking a message of rollout.events that is not a CloudEvent: %s", e.getMessage());
                done.add(m.nack(e));
            }
        }
        if (!received.isEmpty()) {
            List<RolloutProjection.Applied> applied = applyBatch(received);
            if (applied != null) {
                applied.forEach(this::publish);
                decoded.forEach(m -> done.add(m.ack()));
            } else {
                for (int i = 0; i < decoded.size(); i++) {
                    done.add(one(decoded.get(i), received.get(i).event()));
                }
            }
        }
        return CompletableFuture.allOf(
                        done.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
                .thenApply(x -> null);
    }

    private List<RolloutProjection.Applied> applyBatch(List<RolloutProjection.Received> received) {
        for (int attempt = 1; attempt <= BATCH_ATTEMPTS; attempt++) {
            try {
                return projection.applyAll(received);
            } catch (RuntimeException e) {
                LOG.warnf(
                        "error projecting a batch of %d events, attempt %d%s: %s",
                        received.size(),
                        attempt,
                        attempt < BATCH_ATTEMPTS ? "" : "; projecting them one by one",
                        e.getMessage());
                if (!backoff(attempt)) {
                    return null;
                }
            }
        }
        return null;
    }

    private CompletionStage<Void> one(Message<String> m, CloudEvent event) {
        for (int attempt = 1; ; attempt++) {
            try {
                projection.apply(event, m.getPayload()).ifPresent(this::publish);
                return m.ack();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    LOG.errorf(e, "cannot project event %s after %d attempts; parking it", event.id(), attempt);
                    return m.nack(e);
                }
                LOG.warnf("error projecting event %s, attempt %d: %s", event.id(), attempt, e.getMessage());
                if (!backoff(attempt)) {
                    return m.nack(new InterruptedException("stopping"));
                }
            }
        }
    }

    private void publish(RolloutProjection.Applied a) {
        stream.publish(a.rolloutId(), RolloutViews.entry(a.event()), a.terminal());
    }

    private static boolean backoff(int attempt) {
        try {
            Thread.sleep(200L << attempt); // before trying the database again
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
