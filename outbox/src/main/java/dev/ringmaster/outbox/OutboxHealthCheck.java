package dev.ringmaster.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the outbox relay. A broker that does not answer does not make the service unready (changes still
 * commit, and their events wait in the outbox); a relay thread that died does, and so shows in the probe.
 */
@Readiness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    private final OutboxRelay relay;

    public OutboxHealthCheck(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("outbox")
                .withData("relayEnabled", relay.isEnabled())
                .withData("pending", relay.pending());
        if (relay.lastError() != null) {
            b.withData("lastError", relay.lastError());
        }
        return b.status(!relay.isEnabled() || relay.isRunning()).build();
    }
}
