package dev.ringmaster.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Everything the notifier reads under {@code ringmaster.*}. Each key can be set by environment variable. */
@ConfigMapping(prefix = "ringmaster")
public interface NotifierConfig {

    /** Which addresses deliveries may go to, checked on the resolved address before each attempt. */
    Targets targets();

    /** How deliveries are tried. */
    Delivery delivery();

    /** Where people open a rollout: Slack messages link to {@code <console-url>/api/v1/rollouts/<id>}. */
    @WithDefault("http://localhost:8080")
    String consoleUrl();

    interface Targets {
        /** Allow loopback targets: tests and the sandbox. */
        @WithDefault("false")
        boolean allowLoopback();

        /** Allow private-range targets (an on-premises receiver). Link-local stays refused. */
        @WithDefault("false")
        boolean allowPrivate();
    }

    interface Delivery {
        /** How long one attempt may take, connection to response headers. */
        @WithDefault("10s")
        Duration timeout();

        /** Attempts in all before a delivery is dead-lettered. */
        @WithDefault("8")
        int maxAttempts();

        /** The backoff after the first failure; it doubles with each attempt (with jitter) up to max-backoff. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /** The longest Retry-After honoured; a longer one is cut to this. */
        @WithDefault("1h")
        Duration maxRetryAfter();

        /** Deliveries in flight at once to one subscription: a slow or dead target holds at most this many. */
        @WithDefault("4")
        int perTargetConcurrency();

        /** How often the queue is looked at when nothing wakes the dispatcher. */
        @WithDefault("500ms")
        Duration pollInterval();
    }
}
