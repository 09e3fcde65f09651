package dev.ringmaster.catalog.messaging;

import dev.ringmaster.catalog.service.RolloutViews;
import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.messaging.Batches;
import dev.ringmaster.messaging.Stopping;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
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

    private final RolloutProjection projection;
    private final RolloutStream stream;
    private final EventCodec codec;
    private final Stopping stopping;

    public RolloutEventsConsumer(
            RolloutProjection projection, RolloutStream stream, EventCodec codec, Stopping stopping) {
        this.projection = projection;
        this.stream = stream;
        this.codec = codec;
        this.stopping = stopping;
    }

    /**
     * A batch (what one poll returned) is projected in one transaction, then its newly applied events go to live
     * subscribers in order. A batch that fails twice is projected message by message, so that only a message that
     * itself cannot be applied is parked.
     */
    @Incoming("rollout-events")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return Batches.consume(
                batch,
                "rollout.events",
                payload -> Optional.of(new RolloutProjection.Received(codec.decode(payload), payload)),
                received -> {
                    List<RolloutProjection.Applied> applied = projection.applyAll(received);
                    return () -> applied.forEach(this::publish); // to live subscribers, in order, once committed
                },
                (m, r) -> one(m, r.event()),
                stopping::now,
                LOG);
    }

    private CompletionStage<Void> one(Message<String> m, CloudEvent event) {
        return Batches.retrying(
                m,
                "event " + event.id(),
                () -> projection.apply(event, m.getPayload()).ifPresent(this::publish),
                stopping::now,
                LOG);
    }

    private void publish(RolloutProjection.Applied a) {
        stream.publish(a.rolloutId(), RolloutViews.entry(a.event()), a.terminal());
    }
}
