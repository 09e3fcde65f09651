package dev.ringmaster.fleetwatcher.messaging;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventType;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.fleetwatcher.service.Watcher;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes AwaitReady from fleet.watches (keyed by cluster, so the partitions spread the fleet over the instances).
 * The method returns at once; the message is acknowledged later, when its expectation is answered — the expectation
 * is the unacknowledged message. What is not an AwaitReady is nacked onto fleet.watches.dlq.
 */
@ApplicationScoped
public class WatchConsumer {

    private static final Logger LOG = Logger.getLogger(WatchConsumer.class);

    private final Watcher watcher;
    private final EventCodec codec;

    public WatchConsumer(Watcher watcher, EventCodec codec) {
        this.watcher = watcher;
        this.codec = codec;
    }

    @Incoming("fleet-watches")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    @Blocking
    public CompletionStage<Void> watch(Message<String> m) {
        try {
            CloudEvent e = codec.decode(m.getPayload());
            if (!EventType.AWAIT_READY.type().equals(e.type())) {
                throw new IllegalArgumentException(
                        "fleet.watches carries only " + EventType.AWAIT_READY.type() + ", not " + e.type());
            }
            watcher.expect(codec.payload(e, AwaitReady.class), m);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            LOG.errorf("parking a message of fleet.watches: %s", e.getMessage());
            return m.nack(e);
        }
    }
}
