package dev.ringmaster.notifier.messaging;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventFormatException;
import dev.ringmaster.events.EventType;
import dev.ringmaster.events.catalog.SubscriptionDeleted;
import dev.ringmaster.events.catalog.SubscriptionSaved;
import dev.ringmaster.messaging.Batches;
import dev.ringmaster.messaging.Stopping;
import dev.ringmaster.notifier.delivery.DeliveryStore;
import dev.ringmaster.notifier.delivery.Dispatcher;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The notifier's two inputs. A subscription change is stored (newest revision wins); a rollout event is queued once
 * per subscription that wants it (its id makes a redelivery a no-op) and acknowledged after the commit, so that a
 * crash loses nothing and delivery never holds up a partition. Nothing is thrown into a stream: what is not a
 * CloudEvent is parked on the channel's dead-letter topic; a database failure is tried again, then parked (while the
 * service stops, left unacknowledged for the next instance instead).
 */
@ApplicationScoped
public class InboundConsumer {

    private static final Logger LOG = Logger.getLogger(InboundConsumer.class);

    private final DeliveryStore store;
    private final Dispatcher dispatcher;
    private final EventCodec codec;
    private final Stopping stopping;

    public InboundConsumer(DeliveryStore store, Dispatcher dispatcher, EventCodec codec, Stopping stopping) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.codec = codec;
        this.stopping = stopping;
    }

    /** SubscriptionSaved, SubscriptionDeleted; other catalog events are skipped. */
    @Incoming("catalog-events")
    @Blocking
    public CompletionStage<Void> catalog(Message<String> m) {
        return handle(m, (event, raw) -> {
            if (event.type().equals(EventType.SUBSCRIPTION_SAVED.type())) {
                store.save(codec.payload(event, SubscriptionSaved.class));
            } else if (event.type().equals(EventType.SUBSCRIPTION_DELETED.type())) {
                store.delete(codec.payload(event, SubscriptionDeleted.class));
            }
        });
    }

    /**
     * Every rollout event: queued for the subscriptions that want it. They come in batches (what one poll returned),
     * queued in one transaction; a batch that cannot be queued twice is handled message by message, so that only a
     * message that itself cannot be queued is parked.
     */
    @Incoming("rollout-events")
    @Blocking
    public CompletionStage<Void> rollout(KafkaRecordBatch<String, String> batch) {
        return Batches.consume(
                batch,
                "rollout.events",
                payload -> Optional.of(new DeliveryStore.Received(codec.decode(payload), payload)),
                events -> {
                    boolean queued = store.enqueueAll(events) > 0;
                    return () -> {
                        if (queued) {
                            dispatcher.wake();
                        }
                    };
                },
                (m, r) -> handle(m, (event, raw) -> {
                    if (store.enqueue(event, raw) > 0) {
                        dispatcher.wake();
                    }
                }),
                stopping::now,
                LOG);
    }

    private interface Action {
        void apply(CloudEvent event, String raw);
    }

    private CompletionStage<Void> handle(Message<String> m, Action action) {
        CloudEvent event;
        try {
            event = codec.decode(m.getPayload());
        } catch (EventFormatException e) {
            LOG.errorf("parking a message that is not a Ringmaster event: %s", e.getMessage());
            return m.nack(e);
        }
        return Batches.retrying(
                m,
                "event " + event.id() + " (" + event.type() + ")",
                () -> action.apply(event, m.getPayload()),
                stopping::now,
                LOG);
    }
}
