package dev.ringmaster.catalog.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** Where the notifier sends rollout events: a generic webhook (signed CloudEvents) or a Slack incoming webhook. */
@Entity
@Table(name = "subscription")
public class Subscription extends PanacheEntityBase {

    /** What a subscription's target speaks. */
    public enum Kind {
        WEBHOOK,
        SLACK
    }

    @Id
    public String name;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String url;

    @Column(nullable = false)
    public String applications;

    @Column(name = "event_types", nullable = false)
    public String eventTypes;

    public String secret;

    @Column(name = "previous_secret")
    public String previousSecret;

    @Column(name = "previous_secret_expires_at")
    public OffsetDateTime previousSecretExpiresAt;

    @Column(nullable = false)
    public long revision;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public List<String> applicationList() {
        return split(applications);
    }

    public List<String> eventTypeList() {
        return split(eventTypes);
    }

    public static List<Subscription> listByName() {
        return list("order by name");
    }

    /** The next revision, from a sequence shared by all subscriptions. */
    public static long nextRevision() {
        return ((Number) getEntityManager()
                        .createNativeQuery("select nextval('subscription_revision')")
                        .getSingleResult())
                .longValue();
    }

    static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
