package dev.ringmaster.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything catalog-service reads under {@code ringmaster.*}. Each key can be set by environment variable. */
@ConfigMapping(prefix = "ringmaster")
public interface CatalogConfig {

    /** The CloudEvents {@code source} of every event this service publishes. */
    @WithDefault("/ringmaster/catalog-service")
    String eventSource();
}
