package dev.ringmaster.orchestrator.messaging;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventFormatException;
import dev.ringmaster.events.EventType;
import dev.ringmaster.orchestrator.service.RolloutService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** ClusterReady, ClusterFailed, ClusterTimedOut. */
    @Incoming("fleet-events")
    @Blocking
    public CompletionStage<Void> fleet(Message<String> m) {
        return handle(m);
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
