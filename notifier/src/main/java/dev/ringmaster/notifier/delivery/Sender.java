package dev.ringmaster.notifier.delivery;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.notify.Targets;
import dev.ringmaster.notifier.config.NotifierConfig;
import dev.ringmaster.notifier.delivery.DeliveryStore.Claimed;
import dev.ringmaster.notifier.delivery.RetryPolicy.Attempt;
import dev.ringmaster.notifier.delivery.RetryPolicy.Decision;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One attempt of one delivery: check where the URL resolves to, build the request (a signed CloudEvent, or a Slack
 * message), send it without blocking a thread while the target thinks, and record the attempt and what comes next.
 * URLs and secrets are never logged: a Slack URL is itself a credential.
 */
@ApplicationScoped
public class Sender {

    private static final Logger LOG = Logger.getLogger(Sender.class);
    static final String USER_AGENT = "Ringmaster-Notifier/0.1";

    private final DeliveryStore store;
    private final EventCodec codec;
    private final SlackMessage slack;
    private final RetryPolicy policy;
    private final Targets.Policy targets;
    private final Duration timeout;
    private final MeterRegistry metrics;
    private final ExecutorService workers;
    private final HttpClient http;

    public Sender(DeliveryStore store, EventCodec codec, NotifierConfig config, MeterRegistry metrics) {
        this.store = store;
        this.codec = codec;
        this.metrics = metrics;
        this.slack = new SlackMessage(codec.mapper(), config.consoleUrl());
        NotifierConfig.Delivery d = config.delivery();
        this.policy = new RetryPolicy(
                d.maxAttempts(),
                d.initialBackoff(),
                d.maxBackoff(),
                d.maxRetryAfter(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.targets = new Targets.Policy(
                config.targets().allowLoopback(), config.targets().allowPrivate());
        this.timeout = d.timeout();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "notifier-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** How long a lease must last: longer than an attempt can take. */
    public long leaseMillis() {
        return timeout.toMillis() * 2 + 5_000;
    }

    /** Makes the attempt; the future completes once it is recorded. */
    public CompletableFuture<Void> send(Claimed c) {
        Instant started = Instant.now();
        return CompletableFuture.supplyAsync(() -> refusal(c.target().url()), workers)
                .thenCompose(refusal -> refusal.isPresent()
                        ? CompletableFuture.completedFuture(new Outcome(null, null, refusal.get(), true))
                        : attempt(c))
                .exceptionally(e -> new Outcome(null, null, describe(e), false))
                .thenAcceptAsync(o -> record(c, o, started), workers);
    }

    private CompletableFuture<Outcome> attempt(Claimed c) {
        HttpRequest request = request(c);
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((r, e) -> e != null
                        ? new Outcome(null, null, describe(e), false)
                        : new Outcome(
                                r.statusCode(),
                                r.headers().firstValue("Retry-After").orElse(null),
                                null,
                                false));
    }

    HttpRequest request(Claimed c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.target().url()))
                .timeout(timeout)
                .header("User-Agent", USER_AGENT);
        if (c.target().isSlack()) {
            CloudEvent event = codec.decode(c.body());
            return b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(slack.render(event)))
                    .build();
        }
        long timestamp = Instant.now().getEpochSecond();
        b.header("Content-Type", CloudEvent.STRUCTURED_CONTENT_TYPE)
                .header("webhook-id", c.eventId())
                .header("webhook-timestamp", Long.toString(timestamp));
        if (!c.target().secrets().isEmpty()) {
            b.header(
                    "webhook-signature",
                    WebhookSigner.signatureHeader(c.target().secrets(), c.eventId(), timestamp, c.body()));
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(c.body())).build();
    }

    /** Why the target must not be called now (it resolves to an address the policy refuses); empty when it may. */
    private Optional<String> refusal(String url) {
        Optional<String> byUrl = Targets.checkUrl(url, targets);
        if (byUrl.isPresent()) {
            return Optional.of("target refused: url " + byUrl.get());
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(URI.create(url).getHost())) {
                Optional<String> r = Targets.checkAddress(a, targets);
                if (r.isPresent()) {
                    return Optional.of("target refused: host " + r.get());
                }
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            throw new CompletionException(e); // a name that does not resolve now may later: retried
        }
    }

    private void record(Claimed c, Outcome o, Instant started) {
        Instant now = Instant.now();
        long millis = Duration.between(started, now).toMillis();
        Decision d = o.refused()
                ? new Decision(RetryPolicy.Verdict.FAILED, null)
                : policy.decide(c.attempt(), new Attempt(o.status(), o.retryAfter(), o.error()), now);
        String state = switch (d.verdict()) {
            case DELIVERED -> "DELIVERED";
            case RETRY -> "PENDING";
            case FAILED -> "FAILED";
            case DEAD -> "DEAD";
        };
        try {
            store.complete(c.id(), c.attempt(), started, o.status(), o.error(), millis, state, d.retryAt());
        } catch (RuntimeException e) {
            // The lease runs out and the delivery is tried again: at least once.
            LOG.warnf(
                    "cannot record attempt %d of event %s to %s: %s",
                    c.attempt(), c.eventId(), c.target(), e.getMessage());
            return;
        }
        metrics.counter("ringmaster.notifier.attempts", "outcome", state.toLowerCase())
                .increment();
        if (d.verdict() == RetryPolicy.Verdict.DEAD || d.verdict() == RetryPolicy.Verdict.FAILED) {
            LOG.warnf(
                    "delivery of event %s (%s) to subscription %s is %s after %d attempt(s): %s",
                    c.eventId(),
                    c.eventType(),
                    c.target().name(),
                    state,
                    c.attempt(),
                    o.error() != null ? o.error() : "HTTP " + o.status());
        } else {
            LOG.debugf("event %s to %s: %s", c.eventId(), c.target().name(), state);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    private record Outcome(Integer status, String retryAfter, String error, boolean refused) {}
}
