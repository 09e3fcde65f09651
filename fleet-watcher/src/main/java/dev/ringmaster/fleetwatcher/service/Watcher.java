package dev.ringmaster.fleetwatcher.service;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.fleet.ClusterFailed;
import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.fleet.ClusterTimedOut;
import dev.ringmaster.events.fleet.FleetNames;
import dev.ringmaster.fleetwatcher.config.WatcherConfig;
import dev.ringmaster.fleetwatcher.domain.Readiness;
import dev.ringmaster.fleetwatcher.fleet.FleetApi;
import dev.ringmaster.fleetwatcher.fleet.ReadinessStore;
import dev.ringmaster.fleetwatcher.git.CommitAncestry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Holds the pending expectations (AwaitReady) of this instance and answers each once: ClusterReady, ClusterFailed or
 * ClusterTimedOut on fleet.events.
 *
 * <p>One informer watches every BundleDeployment that carries a repo-name label; its events re-judge only the
 * expectations of that BundleDeployment (cluster namespace + GitRepo). A ticker judges expired expectations.
 *
 * <p>Recovery: an AwaitReady message is acknowledged only once its answer is on the broker. An instance that dies
 * leaves its expectations unacknowledged; after the rebalance the instance that takes the partition receives them
 * again and judges them afresh. Expectations answered shortly before a crash may be answered twice (same rollout,
 * service and cluster); the orchestrator ignores the second answer.
 */
@ApplicationScoped
public class Watcher {

    private static final Logger LOG = Logger.getLogger(Watcher.class);
    private static final String BY_EXPECTATION_KEY = "namespace/repo-name";

    /**
     * One pending expectation and the messages to acknowledge once it is answered: a redelivered AwaitReady (after a
     * rebalance) joins the expectation already held instead of making a second one.
     */
    record Expectation(AwaitReady request, String namespace, String gitRepo, List<Message<String>> messages) {
        String key() {
            return namespace + "/" + gitRepo;
        }

        String id() {
            return request.rolloutId() + "|" + request.service() + "|"
                    + request.cluster().name() + "|" + request.commit();
        }

        /** Identity is the id: the list of messages grows, and a hash set must still find it. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Expectation other && other.id().equals(id());
        }

        @Override
        public int hashCode() {
            return id().hashCode();
        }
    }

    private final KubernetesClient client;
    private final CommitAncestry ancestry;
    private final EventCodec codec;
    private final WatcherConfig config;
    private final Emitter<String> answers;
    private final Counter unsentAnswers;
    private final Map<String, Set<Expectation>> byBundleDeployment = new ConcurrentHashMap<>();
    private final Map<String, Expectation> byId = new ConcurrentHashMap<>();
    private SharedIndexInformer<GenericKubernetesResource> informer;
    private SharedIndexInformer<GenericKubernetesResource> clusters;
    private ScheduledExecutorService ticker;

    /** Expectations whose answer could not be sent: the ticker judges them again. */
    private final Queue<Expectation> unsent = new ConcurrentLinkedQueue<>();

    public Watcher(
            KubernetesClient client,
            CommitAncestry ancestry,
            EventCodec codec,
            WatcherConfig config,
            MeterRegistry metrics,
            // Unbounded: one BundleDeployment turning ready answers every expectation waiting on it in one go (a
            // 10,000-cluster ring answers thousands a second); a bounded buffer threw once full and the answer was
            // lost. What it holds is bounded by the expectations held, each answered once.
            @Channel("fleet-events") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<String> answers) {
        this.client = client;
        this.ancestry = ancestry;
        this.codec = codec;
        this.config = config;
        this.answers = answers;
        metrics.gaugeMapSize("ringmaster.watcher.watched.bundledeployments", List.of(), byBundleDeployment);
        metrics.gaugeMapSize("ringmaster.watcher.pending.expectations", List.of(), byId);
        this.unsentAnswers = Counter.builder("ringmaster.watcher.answers.unsent")
                .description("Answers the broker did not take; their expectations were held and judged again")
                .register(metrics);
    }

    void start(@Observes StartupEvent ev) {
        // Fleet's Clusters, for their status.namespace: one watch, instead of a GET for each cluster first seen (at
        // 1,000 clusters those GETs held the AwaitReady consumer for ~15 s behind a busy API server).
        clusters = client.genericKubernetesResources(FleetApi.CLUSTER)
                .inAnyNamespace()
                .inform();
        informer = client.genericKubernetesResources(FleetApi.BUNDLE_DEPLOYMENT)
                .inAnyNamespace()
                .withLabel(FleetApi.REPO_NAME)
                .runnableInformer(0)
                .itemStore(new ReadinessStore()); // only what the readiness rule reads is kept between events
        // An expectation looks its BundleDeployment up by cluster namespace + GitRepo: an index, not a scan of the
        // cache (with 100,000 BundleDeployments cached, a scan per AwaitReady was the watcher's cost).
        informer.addIndexers(Map.of(BY_EXPECTATION_KEY, bd -> List.of(expectationKey(bd))));
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource bd) {
                changed(bd);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource bd) {
                changed(bd);
            }

            @Override
            public void onDelete(GenericKubernetesResource bd, boolean unknown) {}
        });
        informer.run(); // blocks until the first list is in the cache, as inform() did
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-watcher-deadlines");
            t.setDaemon(true);
            return t;
        });
        long every = config.fleet().tick().toMillis();
        ticker.scheduleWithFixedDelay(this::expire, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (informer != null) {
            informer.close();
        }
        if (clusters != null) {
            clusters.close();
        }
    }

    /** How many expectations this instance holds. */
    public int pending() {
        return byId.size();
    }

    /** Takes an expectation; its message is acknowledged when it is answered. */
    public void expect(AwaitReady req, Message<String> message) {
        String ns =
                clusterNamespace(req.cluster().fleetNamespace(), req.cluster().fleetName());
        Expectation fresh = new Expectation(
                req,
                ns,
                FleetNames.gitRepoName(req.application(), req.service()),
                new java.util.concurrent.CopyOnWriteArrayList<>(List.of(message)));
        boolean[] joined = {false};
        Expectation e = byId.compute(fresh.id(), (id, held) -> {
            if (held == null) {
                return fresh;
            }
            held.messages().add(message); // a redelivery: answered (and acknowledged) with the one held
            joined[0] = true;
            return held;
        });
        if (!joined[0]) {
            byBundleDeployment
                    .computeIfAbsent(e.key(), k -> ConcurrentHashMap.newKeySet())
                    .add(e);
        }
        judge(e, find(e), false);
    }

    private void changed(GenericKubernetesResource bd) {
        Set<Expectation> waiting = byBundleDeployment.get(expectationKey(bd));
        if (waiting != null) {
            for (Expectation e : List.copyOf(waiting)) {
                judge(e, bd, false);
            }
        }
    }

    private void expire() {
        OffsetDateTime now = OffsetDateTime.now();
        try {
            for (Expectation e; (e = unsent.poll()) != null; ) {
                judge(e, find(e), false);
            }
            for (Set<Expectation> set : byBundleDeployment.values()) {
                for (Expectation e : List.copyOf(set)) {
                    if (e.request().deadline() != null && e.request().deadline().isBefore(now)) {
                        judge(e, find(e), true);
                    }
                }
            }
        } catch (RuntimeException ex) {
            LOG.warnf("deadline check failed: %s", ex.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private void judge(Expectation e, GenericKubernetesResource bd, boolean expired) {
        AwaitReady r = e.request();
        Readiness.Result result = Readiness.judge(
                bd == null ? null : bd.getMetadata().getLabels(),
                bd == null
                        ? null
                        : (Map<String, Object>) bd.getAdditionalProperties().get("spec"),
                bd == null
                        ? null
                        : (Map<String, Object>) bd.getAdditionalProperties().get("status"),
                r.commit(),
                (candidate, ancestor) -> ancestry.descends(r.repoUrl(), candidate, ancestor));
        if ((result.verdict() == Readiness.Verdict.ERR_APPLIED || result.verdict() == Readiness.Verdict.MODIFIED)
                && r.failuresSince() != null
                && (result.reportedAt() == null || result.reportedAt().isBefore(r.failuresSince()))
                && !expired) {
            return; // the failure that caused the pause, not a new one: wait for Fleet to try again
        }
        Object answer = switch (result.verdict()) {
            case READY ->
                new ClusterReady(r.rolloutId(), r.service(), r.cluster().name(), r.commit());
            case ERR_APPLIED ->
                new ClusterFailed(r.rolloutId(), r.service(), r.cluster().name(), "ErrApplied", result.message());
            case MODIFIED ->
                new ClusterFailed(r.rolloutId(), r.service(), r.cluster().name(), "Modified", result.message());
            case NOT_READY ->
                expired
                        ? new ClusterFailed(
                                r.rolloutId(), r.service(), r.cluster().name(), "NotReady", result.message())
                        : null;
            case WAITING ->
                expired
                        ? new ClusterTimedOut(
                                r.rolloutId(), r.service(), r.cluster().name(), r.deadline())
                        : null;
        };
        if (answer != null) {
            answer(e, answer);
        }
    }

    /** Answers an expectation once: only the caller that removes it sends. */
    private void answer(Expectation e, Object payload) {
        if (!byId.remove(e.id(), e)) {
            return; // answered already
        }
        Set<Expectation> set = byBundleDeployment.get(e.key());
        if (set != null) {
            set.remove(e);
        }
        byBundleDeployment.computeIfPresent(e.key(), (k, s) -> s.isEmpty() ? null : s);
        try {
            send(e, payload);
        } catch (RuntimeException ex) {
            hold(e, ex); // not answered after all (e.g. the channel is stopping)
        }
    }

    /**
     * Holds an expectation again whose answer did not reach the broker, its messages unacknowledged: the next tick
     * judges it afresh and answers again. Parking its AwaitReady instead would leave the cluster to its deadline (a
     * timeout for the rollout), and an instance that is stopping leaves it to the instance that takes the partition.
     */
    private void hold(Expectation e, Throwable why) {
        unsentAnswers.increment();
        LOG.warnf(
                "could not send the answer for %s/%s on %s, holding it: %s",
                e.request().application(),
                e.request().service(),
                e.request().cluster().name(),
                why.getMessage());
        byId.putIfAbsent(e.id(), e);
        byBundleDeployment
                .computeIfAbsent(e.key(), k -> ConcurrentHashMap.newKeySet())
                .add(e);
        unsent.add(e); // judged again at the next tick
    }

    private void send(Expectation e, Object payload) {
        CloudEvent event = codec.wrap(config.eventSource(), e.request().rolloutId(), payload);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        answers.send(Message.of(
                codec.encode(event),
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(e.request().rolloutId())
                        .withHeaders(headers)
                        .build()),
                () -> CompletableFuture.allOf(e.messages().stream()
                        .map(m -> m.ack().toCompletableFuture())
                        .toArray(CompletableFuture[]::new)),
                (Throwable t) -> {
                    hold(e, t); // the broker did not take it: answer again, do not park the AwaitReady
                    return CompletableFuture.completedFuture(null);
                }));
        LOG.debugf(
                "%s for %s/%s on %s",
                payload.getClass().getSimpleName(),
                e.request().application(),
                e.request().service(),
                e.request().cluster().name());
    }

    /** The BundleDeployment of an expectation, from the informer's cache. */
    private GenericKubernetesResource find(Expectation e) {
        if (informer == null) {
            return null;
        }
        List<GenericKubernetesResource> found = informer.getIndexer().byIndex(BY_EXPECTATION_KEY, e.key());
        return found.isEmpty() ? null : found.get(0);
    }

    /** The key an expectation and its BundleDeployment share: cluster namespace / GitRepo name. */
    private static String expectationKey(GenericKubernetesResource bd) {
        return bd.getMetadata().getNamespace() + "/"
                + bd.getMetadata().getLabels().get(FleetApi.REPO_NAME);
    }

    /**
     * The namespace of a cluster's BundleDeployments: Fleet's {@code Cluster.status.namespace} from the Cluster
     * informer's cache; as Fleet computes it when the Cluster is not (yet) there.
     */
    @SuppressWarnings("unchecked")
    private String clusterNamespace(String fleetNamespace, String fleetName) {
        GenericKubernetesResource c =
                clusters == null ? null : clusters.getStore().getByKey(fleetNamespace + "/" + fleetName);
        if (c != null
                && c.getAdditionalProperties().get("status") instanceof Map<?, ?> s
                && ((Map<String, Object>) s).get("namespace") instanceof String ns) {
            return ns;
        }
        return FleetNames.clusterNamespace(fleetNamespace, fleetName);
    }
}
