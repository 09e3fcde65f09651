package dev.ringmaster.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything catalog-service reads under {@code ringmaster.*}. Each key can be set by environment variable. */
@ConfigMapping(prefix = "ringmaster")
public interface CatalogConfig {

    /** The CloudEvents {@code source} of every event this service publishes. */
    @WithDefault("/ringmaster/catalog-service")
    String eventSource();

    /** Which notification targets a subscription may name. */
    Targets targets();

    /** Where the notifier answers (the delivery logs are read from it). */
    Notifier notifier();

    interface Targets {
        /** Allow loopback targets (localhost, 127.0.0.0/8, ::1): for tests and the sandbox. */
        @WithDefault("false")
        boolean allowLoopback();

        /** Allow private-range targets (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10). */
        @WithDefault("false")
        boolean allowPrivate();
    }

    interface Notifier {
        /** The notifier's base URL. */
        @WithDefault("http://localhost:8084")
        String url();
    }
}
