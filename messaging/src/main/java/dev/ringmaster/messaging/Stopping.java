package dev.ringmaster.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Whether the service is shutting down. Quarkus announces the shutdown before it closes the database pool that a
 * consumer may still be using: a failure after that is the shutdown's, and the message is left to the next instance
 * rather than parked (see {@link Batches}).
 */
@ApplicationScoped
public class Stopping {

    private volatile boolean stopping;

    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** True once the shutdown began. */
    public boolean now() {
        return stopping;
    }
}
