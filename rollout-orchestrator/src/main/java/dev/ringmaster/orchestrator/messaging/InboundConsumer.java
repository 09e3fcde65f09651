package dev.ringmaster.orchestrator.messaging;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventFormatException;
import dev.ringmaster.events.EventType;
import dev.ringmaster.messaging.BatchMerger;
import dev.ringmaster.messaging.Batches;
import dev.ringmaster.messaging.Stopping;
import dev.ringmaster.orchestrator.service.RolloutService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The orchestrator's four inputs. Each message is applied in one transaction (deduplicated by its CloudEvent id) and
 * acknowledged after the commit. Nothing is thrown into a stream: a message that is not a CloudEvent is nacked (the
 * channel's dead-letter queue keeps it with the reason); a type this version does not act on is skipped; a failure
 * to apply (e.g. the database is away) is tried again a few times, then nacked; while the service stops, it is left
 * unacknowledged for the next instance instead.
 */
@ApplicationScoped
public class InboundConsumer {

    private static final Logger LOG = Logger.getLogger(InboundConsumer.class);

    private final RolloutService service;
    private final EventCodec codec;
    private final Stopping stopping;

    /**
     * Answers applied in one transaction at most: five polls' worth (a poll brings up to 1,000). A burst of 10,000
     * answers went in 5 transactions instead of 8, 495 → 381 ms (BurstBench, session 8); in a rollout transactions
     * are far smaller (what arrived during the one before).
     */
    static final int MAX_PER_TRANSACTION = 5000;

    /** Answers taken from the channel and waiting at most, before it is held back. */
    static final int MAX_WAITING = 10_000;

    private BatchMerger fleetEvents;

    public InboundConsumer(RolloutService service, EventCodec codec, Stopping stopping) {
        this.service = service;
        this.codec = codec;
        this.stopping = stopping;
    }

    @PostConstruct
    void start() {
        fleetEvents = new BatchMerger(
                "fleet.events", MAX_PER_TRANSACTION, MAX_WAITING, this::applyFleetEvents, stopping::now);
    }

    @PreDestroy
    void stop() {
        fleetEvents.close();
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
     * come in batches and are applied many at a time, in one transaction: a rollout's state is read and written once
     * per transaction, not once per cluster. The channel hands each batch to a {@link BatchMerger} and returns: its
     * thread applies everything that arrived while the previous transaction ran together, so that an answer waits
     * for at most that transaction (the last answer of a step is what starts the dependent services). Records that
     * cannot be applied together are tried again, then applied message by message, so that only a message that
     * itself cannot be applied is parked.
     */
    @Incoming("fleet-events")
    public CompletionStage<Void> fleet(KafkaRecordBatch<String, String> batch) {
        return fleetEvents.offer(batch);
    }

    private void applyFleetEvents(List<KafkaRecord<String, String>> records) {
        Batches.consume(
                records,
                "fleet.events",
                this::input,
                inputs -> {
                    long startedAt = System.currentTimeMillis();
                    long start = System.nanoTime();
                    service.applyAll(inputs);
                    if (LOG.isDebugEnabled()) {
                        long oldest = records.stream()
                                .filter(r -> r.getTimestamp() != null)
                                .mapToLong(r -> r.getTimestamp().toEpochMilli())
                                .min()
                                .orElse(startedAt);
                        LOG.debugf(
                                "batch of %d committed in %d µs; its oldest record was sent %d ms before it started",
                                inputs.size(), (System.nanoTime() - start) / 1000, startedAt - oldest);
                    }
                    return () -> {};
                },
                this::apply,
                stopping::now,
                LOG);
    }

    /** Cluster registrations, ring changes and removals: who counts in a running rollout. */
    @Incoming("catalog-events")
    @Blocking
    public CompletionStage<Void> catalog(Message<String> m) {
        return handle(m);
    }

    private CompletionStage<Void> handle(Message<String> m) {
        Optional<RolloutService.Input> in;
        try {
            in = input(m.getPayload());
        } catch (EventFormatException e) {
            LOG.errorf("parking a message that is not a Ringmaster event: %s", e.getMessage());
            return m.nack(e);
        }
        return in.isEmpty() ? m.ack() : apply(m, in.get());
    }

    /** The input a payload carries; empty for an event of a type this version does not know (skipped). */
    private Optional<RolloutService.Input> input(String payload) {
        CloudEvent event = codec.decode(payload);
        if (EventType.ofType(event.type()).isEmpty()) {
            LOG.debugf("skipping event %s of a type this version does not know: %s", event.id(), event.type());
            return Optional.empty();
        }
        return Optional.of(new RolloutService.Input(event.id(), codec.payload(event)));
    }

    /** One input in its own transaction, with {@link Batches#retrying}'s retries. */
    private CompletionStage<Void> apply(Message<String> m, RolloutService.Input in) {
        return Batches.retrying(
                m,
                "event " + in.eventId() + " (" + in.payload().getClass().getSimpleName() + ")",
                () -> service.apply(in.eventId(), in.payload()),
                stopping::now,
                LOG);
    }
}
