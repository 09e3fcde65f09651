package dev.ringmaster.orchestrator.messaging;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventFormatException;
import dev.ringmaster.events.EventType;
import dev.ringmaster.orchestrator.service.RolloutService;
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
 * The orchestrator's four inputs. Each message is applied in one transaction (deduplicated by its CloudEvent id) and
 * acknowledged after the commit. Nothing is thrown into a stream: a message that is not a CloudEvent is nacked (the
 * channel's dead-letter queue keeps it with the reason); a type this version does not act on is skipped; a failure
 * to apply (e.g. the database is away) is tried again a few times, then nacked.
 */
@ApplicationScoped
public class InboundConsumer {

    private static final Logger LOG = Logger.getLogger(InboundConsumer.class);
    private static final int ATTEMPTS = 5;
    private static final int BATCH_ATTEMPTS = 2;

    private final RolloutService service;
    private final EventCodec codec;

    public InboundConsumer(RolloutService service, EventCodec codec) {
        this.service = service;
        this.codec = codec;
    }

    /** RolloutRequested, RolloutControl. */
    @Incoming("rollout-requests")
    @Blocking
    public CompletionStage<Void> requests(Message<String> m) {
        return handle(m);
    }

    /** VersionCommitted, CommitFailed. */
    @Incoming("git-events")
    @Blocking
    public CompletionStage<Void> git(Message<String> m) {
        return handle(m);
    }

    /**
     * ClusterReady, ClusterFailed, ClusterTimedOut: one per cluster and service, so by far the most messages. They
     * come in batches (what one poll returned) and a batch is applied in one transaction: a rollout's state is read
     * and written once per batch, not once per cluster. A batch that cannot be applied is tried again, then applied
     * message by message, so that only a message that itself cannot be applied is parked.
     */
    @Incoming("fleet-events")
    @Blocking
    public CompletionStage<Void> fleet(KafkaRecordBatch<String, String> batch) {
        List<RolloutService.Input> inputs = new ArrayList<>();
        List<Message<String>> decoded = new ArrayList<>();
        List<CompletionStage<Void>> done = new ArrayList<>();
        for (KafkaRecord<String, String> m : batch) {
            try {
                CloudEvent event = codec.decode(m.getPayload());
                if (EventType.ofType(event.type()).isEmpty()) {
                    LOG.debugf("skipping event %s of a type this version does not know: %s", event.id(), event.type());
                    done.add(m.ack());
                    continue;
                }
                inputs.add(new RolloutService.Input(event.id(), codec.payload(event)));
                decoded.add(m);
            } catch (EventFormatException e) {
                LOG.errorf("parking a message that is not a Ringmaster event: %s", e.getMessage());
                done.add(m.nack(e));
            }
        }
        if (!inputs.isEmpty()) {
            if (applyBatch(inputs)) {
                decoded.forEach(m -> done.add(m.ack()));
            } else {
                decoded.forEach(m -> done.add(handle(m)));
            }
        }
        return CompletableFuture.allOf(
                        done.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
                .thenApply(x -> null);
    }

    private boolean applyBatch(List<RolloutService.Input> inputs) {
        for (int attempt = 1; attempt <= BATCH_ATTEMPTS; attempt++) {
            try {
                service.applyAll(inputs);
                return true;
            } catch (RuntimeException e) {
                LOG.warnf(
                        "error applying a batch of %d events, attempt %d%s: %s",
                        inputs.size(),
                        attempt,
                        attempt < BATCH_ATTEMPTS ? "" : "; applying them one by one",
                        e.getMessage());
                if (!backoff(attempt)) {
                    return false;
                }
            }
        }
        return false;
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

    /** Cluster registrations, ring changes and removals: who counts in a running rollout. */
    @Incoming("catalog-events")
    @Blocking
    public CompletionStage<Void> catalog(Message<String> m) {
        return handle(m);
    }

    private CompletionStage<Void> handle(Message<String> m) {
        CloudEvent event;
        Object payload;
        try {
            event = codec.decode(m.getPayload());
            if (EventType.ofType(event.type()).isEmpty()) {
                LOG.debugf("skipping event %s of a type this version does not know: %s", event.id(), event.type());
                return m.ack();
            }
            payload = codec.payload(event);
        } catch (EventFormatException e) {
            LOG.errorf("parking a message that is not a Ringmaster event: %s", e.getMessage());
            return m.nack(e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                service.apply(event.id(), payload);
                return m.ack();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    LOG.errorf(
                            e,
                            "cannot apply event %s (%s) after %d attempts; parking it",
                            event.id(),
                            event.type(),
                            attempt);
                    return m.nack(e);
                }
                LOG.warnf(
                        "error applying event %s (%s), attempt %d: %s",
                        event.id(), event.type(), attempt, e.getMessage());
                if (!backoff(attempt)) {
                    return m.nack(new InterruptedException("stopping"));
                }
            }
        }
    }
}
