package dev.ringmaster.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The outbox and its relay, under {@code ringmaster.outbox.*}; each key can be set by environment variable. */
@ConfigMapping(prefix = "ringmaster.outbox")
public interface OutboxConfig {

    /**
     * Whether this instance publishes the outbox to Kafka. Off, changes still commit with their events, which wait in
     * the outbox until a relay runs. (RINGMASTER_OUTBOX_RELAY_ENABLED)
     */
    @WithDefault("true")
    boolean relayEnabled();

    /** Most events published in one relay transaction. (RINGMASTER_OUTBOX_BATCH_SIZE) */
    @WithDefault("500")
    int batchSize();

    /**
     * How often the relay looks at the outbox when nothing wakes it. Commits of this instance wake it at once; this
     * bounds the delay for rows left by another instance or a failed attempt. (RINGMASTER_OUTBOX_POLL_INTERVAL)
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** The longest wait before retrying after the broker refused or did not answer. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** How long one publish may wait for the broker's acknowledgement. */
    @WithDefault("30s")
    Duration sendTimeout();
}
