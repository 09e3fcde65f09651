package dev.ringmaster.catalog.service;

import dev.ringmaster.catalog.api.RotateSecretRequest;
import dev.ringmaster.catalog.api.SubscriptionRequest;
import dev.ringmaster.catalog.api.SubscriptionView;
import dev.ringmaster.catalog.config.CatalogConfig;
import dev.ringmaster.catalog.domain.CatalogException;
import dev.ringmaster.catalog.domain.Subscription;
import dev.ringmaster.catalog.domain.Validation;
import dev.ringmaster.events.catalog.SubscriptionDeleted;
import dev.ringmaster.events.catalog.SubscriptionSaved;
import dev.ringmaster.events.notify.EventSelection;
import dev.ringmaster.events.notify.Targets;
import dev.ringmaster.events.notify.WebhookSecrets;
import dev.ringmaster.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Notification subscriptions: create, read, list, rotate the secret, delete. Every change goes out as one
 * {@code catalog.events} event (keyed by the subscription's name) in the same transaction.
 */
@ApplicationScoped
public class SubscriptionCatalog {

    static final Duration DEFAULT_GRACE = Duration.ofDays(1);
    static final Duration MAX_GRACE = Duration.ofDays(7);
    private static final String SLACK_HOST = "hooks.slack.com";

    private final Outbox outbox;
    private final Targets.Policy policy;

    public SubscriptionCatalog(Outbox outbox, CatalogConfig config) {
        this.outbox = outbox;
        this.policy = new Targets.Policy(
                config.targets().allowLoopback(), config.targets().allowPrivate());
    }

    @Transactional
    public SubscriptionView create(SubscriptionRequest req) {
        Validation v = new Validation();
        v.name("name", req.name());
        Targets.checkUrl(req.url(), policy).ifPresent(problem -> v.add("url", problem));
        String kind = kind(req, v);
        List<String> applications = applications(req.applications(), v);
        List<String> events = events(req.events(), v);
        String secret = null;
        if ("SLACK".equals(kind)) {
            if (req.secret() != null) {
                v.add("secret", "is not used by Slack (the URL is the credential); leave it out");
            }
        } else {
            secret = req.secret() == null ? WebhookSecrets.generate() : req.secret();
            if (!WebhookSecrets.isValid(secret)) {
                v.add("secret", "must be whsec_ followed by the base64 of 24 to 64 bytes");
            }
        }
        v.throwIfInvalid();
        if (Subscription.findById(req.name()) != null) {
            throw new CatalogException.Conflict(
                    "subscription '" + req.name() + "' already exists", Map.of("subscription", req.name()));
        }
        Subscription s = new Subscription();
        s.name = req.name();
        s.kind = kind;
        s.url = req.url();
        s.applications = String.join(",", applications);
        s.eventTypes = String.join(",", events);
        s.secret = secret;
        s.revision = Subscription.nextRevision();
        s.createdAt = ApplicationCatalog.now();
        s.persistAndFlush();
        announce(s);
        return view(s, secret);
    }

    @ReadOnly
    @Transactional
    public SubscriptionView get(String name) {
        return view(find(name), null);
    }

    @ReadOnly
    @Transactional
    public List<SubscriptionView> list(String application) {
        return Subscription.listByName().stream()
                .filter(s -> application == null
                        || s.applicationList().isEmpty()
                        || s.applicationList().contains(application))
                .map(s -> view(s, null))
                .toList();
    }

    /** A new secret; the old one keeps signing (next to the new) until the grace period ends. */
    @Transactional
    public SubscriptionView rotateSecret(String name, RotateSecretRequest req) {
        Subscription s = lock(name);
        RotateSecretRequest r = req == null ? new RotateSecretRequest(null, null) : req;
        Validation v = new Validation();
        if (!"WEBHOOK".equals(s.kind)) {
            v.add("name", "is a " + s.kind + " subscription: only webhooks are signed");
        }
        String secret = r.secret() == null ? WebhookSecrets.generate() : r.secret();
        if (!WebhookSecrets.isValid(secret)) {
            v.add("secret", "must be whsec_ followed by the base64 of 24 to 64 bytes");
        } else if (secret.equals(s.secret)) {
            v.add("secret", "must differ from the current secret");
        }
        long grace = r.graceSeconds() == null ? DEFAULT_GRACE.toSeconds() : r.graceSeconds();
        if (grace < 0 || grace > MAX_GRACE.toSeconds()) {
            v.add("graceSeconds", "must be between 0 and " + MAX_GRACE.toSeconds());
        }
        v.throwIfInvalid();
        s.previousSecret = grace == 0 ? null : s.secret;
        s.previousSecretExpiresAt = grace == 0 ? null : ApplicationCatalog.now().plusSeconds(grace);
        s.secret = secret;
        s.revision = Subscription.nextRevision();
        announce(s);
        return view(s, secret);
    }

    @Transactional
    public void delete(String name) {
        Subscription s = lock(name);
        s.delete();
        outbox.append(s.name, s.name, new SubscriptionDeleted(s.name, Subscription.nextRevision()));
    }

    /** Throws 404 when there is no such subscription. */
    @ReadOnly
    @Transactional
    public void requireExists(String name) {
        find(name);
    }

    private void announce(Subscription s) {
        outbox.append(
                s.name,
                s.name,
                new SubscriptionSaved(
                        s.name,
                        s.kind,
                        s.url,
                        s.applicationList(),
                        s.eventTypeList(),
                        s.secret,
                        s.previousSecret,
                        s.previousSecretExpiresAt,
                        s.revision));
    }

    private static String kind(SubscriptionRequest req, Validation v) {
        if (req.kind() == null) {
            return isSlackUrl(req.url()) ? "SLACK" : "WEBHOOK";
        }
        String k = req.kind().toUpperCase(Locale.ROOT);
        if (!k.equals("WEBHOOK") && !k.equals("SLACK")) {
            v.add("kind", "must be WEBHOOK or SLACK");
        }
        return k;
    }

    private static List<String> applications(List<String> given, Validation v) {
        if (given == null) {
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            v.name("applications[" + i + "]", given.get(i));
            out.add(given.get(i));
        }
        return new ArrayList<>(out);
    }

    private static List<String> events(List<String> given, Validation v) {
        if (given == null) {
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String g = given.get(i);
            int index = i;
            EventSelection.normalize(g)
                    .ifPresentOrElse(
                            out::add,
                            () -> v.add(
                                    "events[" + index + "]",
                                    "is not a rollout event type; one of "
                                            + String.join(", ", EventSelection.selectable())));
        }
        return new ArrayList<>(out);
    }

    private static boolean isSlackUrl(String url) {
        try {
            return url != null && SLACK_HOST.equalsIgnoreCase(URI.create(url).getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Subscription find(String name) {
        Subscription s = Subscription.findById(Objects.requireNonNullElse(name, ""));
        if (s == null) {
            throw new CatalogException.NotFound("subscription", name);
        }
        return s;
    }

    private static Subscription lock(String name) {
        Subscription s = Subscription.findById(
                Objects.requireNonNullElse(name, ""), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (s == null) {
            throw new CatalogException.NotFound("subscription", name);
        }
        return s;
    }

    static SubscriptionView view(Subscription s, String secret) {
        return new SubscriptionView(
                s.name,
                s.kind,
                "SLACK".equals(s.kind) ? maskSlack(s.url) : s.url,
                s.applicationList(),
                EventSelection.effective(s.kind, s.eventTypeList()),
                s.secret != null,
                s.previousSecretExpiresAt,
                s.revision,
                s.createdAt,
                secret);
    }

    /** A Slack webhook URL's last path segment is its credential. */
    static String maskSlack(String url) {
        int slash = url.lastIndexOf('/');
        return slash < 0 || slash == url.length() - 1 ? url : url.substring(0, slash + 1) + "****";
    }
}
