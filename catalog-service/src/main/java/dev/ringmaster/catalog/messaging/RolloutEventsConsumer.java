package dev.ringmaster.catalog.messaging;

import dev.ringmaster.catalog.service.RolloutViews;
import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventFormatException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes rollout.events into the catalog's projection, then hands each newly applied event to live subscribers.
 * Nothing is thrown into the stream: an unreadable message is nacked (kept on rollout.events.dlq with the reason); a
 * failure to apply is tried again, then nacked.
 */
@ApplicationScoped
public class RolloutEventsConsumer {

    private static final Logger LOG = Logger.getLogger(RolloutEventsConsumer.class);
    private static final int ATTEMPTS = 5;

    private final RolloutProjection projection;
    private final RolloutStream stream;
    private final EventCodec codec;

    public RolloutEventsConsumer(RolloutProjection projection, RolloutStream stream, EventCodec codec) {
        this.projection = projection;
        this.stream = stream;
        this.codec = codec;
    }

    @Incoming("rollout-events")
    @Blocking
    public CompletionStage<Void> consume(Message<String> m) {
        CloudEvent event;
        try {
            event = codec.decode(m.getPayload());
        } catch (EventFormatException e) {
            LOG.errorf("parking a message of rollout.events that is not a CloudEvent: %s", e.getMessage());
            return m.nack(e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                projection
                        .apply(event, m.getPayload())
                        .ifPresent(a -> stream.publish(a.rolloutId(), RolloutViews.entry(a.event()), a.terminal()));
                return m.ack();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    LOG.errorf(e, "cannot project event %s after %d attempts; parking it", event.id(), attempt);
                    return m.nack(e);
                }
                LOG.warnf("error projecting event %s, attempt %d: %s", event.id(), attempt, e.getMessage());
                try {
                    Thread.sleep(200L << attempt); // backoff before trying the database again
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return m.nack(ie);
                }
            }
        }
    }
}
