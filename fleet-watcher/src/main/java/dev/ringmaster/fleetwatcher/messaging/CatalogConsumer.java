package dev.ringmaster.fleetwatcher.messaging;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventFormatException;
import dev.ringmaster.events.EventType;
import dev.ringmaster.fleetwatcher.fleet.FleetWriter;
import dev.ringmaster.messaging.Batches;
import dev.ringmaster.messaging.Stopping;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes catalog.events and keeps Fleet in step ({@link FleetWriter}). Unreadable messages are parked on
 * catalog.events.dlq; a failed write to Fleet is tried again, then parked with the reason ({@link Batches#retrying}),
 * unless the service is stopping: then it is left unacknowledged for the next instance.
 */
@ApplicationScoped
public class CatalogConsumer {

    private static final Logger LOG = Logger.getLogger(CatalogConsumer.class);
    private final FleetWriter writer;
    private final EventCodec codec;
    private final Stopping stopping;

    public CatalogConsumer(FleetWriter writer, EventCodec codec, Stopping stopping) {
        this.writer = writer;
        this.codec = codec;
        this.stopping = stopping;
    }

    @Incoming("catalog-events")
    @Blocking
    public CompletionStage<Void> consume(Message<String> m) {
        Object fact;
        try {
            CloudEvent e = codec.decode(m.getPayload());
            if (EventType.ofType(e.type()).isEmpty()) {
                return m.ack();
            }
            fact = codec.payload(e);
        } catch (EventFormatException e) {
            LOG.errorf("parking a message of catalog.events: %s", e.getMessage());
            return m.nack(e);
        }
        return Batches.retrying(
                m,
                fact.getClass().getSimpleName() + " (a write to Fleet)",
                () -> writer.apply(fact),
                stopping::now,
                LOG);
    }
}
