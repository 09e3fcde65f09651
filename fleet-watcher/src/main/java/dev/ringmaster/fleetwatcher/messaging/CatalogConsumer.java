package dev.ringmaster.fleetwatcher.messaging;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventFormatException;
import dev.ringmaster.events.EventType;
import dev.ringmaster.fleetwatcher.fleet.FleetWriter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes catalog.events and keeps Fleet in step ({@link FleetWriter}). Unreadable messages are parked on
 * catalog.events.dlq; a failed write to Fleet is tried again, then parked with the reason.
 */
@ApplicationScoped
public class CatalogConsumer {

    private static final Logger LOG = Logger.getLogger(CatalogConsumer.class);
    private static final int ATTEMPTS = 5;

    private final FleetWriter writer;
    private final EventCodec codec;

    public CatalogConsumer(FleetWriter writer, EventCodec codec) {
        this.writer = writer;
        this.codec = codec;
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
        for (int attempt = 1; ; attempt++) {
            try {
                writer.apply(fact);
                return m.ack();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    LOG.errorf(
                            "cannot write %s to Fleet after %d attempts: %s",
                            fact.getClass().getSimpleName(), attempt, e.getMessage());
                    return m.nack(e);
                }
                try {
                    Thread.sleep(200L << attempt); // backoff before the Fleet API again
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return m.nack(ie);
                }
            }
        }
    }
}
