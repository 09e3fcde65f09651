package dev.ringmaster.notifier.messaging;

import dev.ringmaster.events.EventCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one codec of this service. */
public class EventCodecProducer {
    @Produces
    @Singleton
    EventCodec codec() {
        return new EventCodec();
    }
}
