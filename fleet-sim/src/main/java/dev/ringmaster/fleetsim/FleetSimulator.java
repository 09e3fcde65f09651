package dev.ringmaster.fleetsim;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.events.fleet.FleetNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A simulated Rancher Fleet manager: a Kubernetes API server (fabric8's mock server in CRUD mode, its store indexed by
 * {@link IndexedCrudDispatcher}) that knows Fleet's CRDs, simulated downstream clusters, and a controller pass that
 * behaves like Fleet's controllers and agents. Any fabric8 client (or kubectl) can talk to it at {@link #apiUrl()}.
 *
 * <p>Each pass ({@link #reconcile()}): read every GitRepo of the workspace; fetch its branch from the real Git
 * server; for a new commit, new targets or relabelled clusters, write the Bundle of each path and, per cluster that
 * the GitRepo targets, a BundleDeployment rendered by Fleet's rules ({@link BundleRenderer}) with Fleet's labels
 * (the commit among them) in the cluster's namespace; delete those of clusters no longer targeted. Then each
 * cluster's agent answers new deployment IDs after its delays, as its {@link Behaviour} says, in Fleet's status
 * shapes ({@link FleetStatus}).
 *
 * <p>At scale: the BundleDeployments of a pass are written, and the agents report, on {@link Config#workers()}
 * threads; a BundleDeployment whose labels and spec would not change is not written (no event, as in Fleet); writes
 * carry the resourceVersion the server last answered us instead of reading the object first; and the controller and
 * agents reach the API server in-process ({@link InProcessHttpClient}: the same store and watch events, no HTTP round
 * trip), while {@link #client()} and everyone else use HTTP.
 */
public final class FleetSimulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FleetSimulator.class);
    static final String GROUP = "fleet.cattle.io";
    static final String VERSION = "v1alpha1";
    public static final ResourceDefinitionContext GITREPO = ctx("GitRepo", "gitrepos");
    public static final ResourceDefinitionContext BUNDLE = ctx("Bundle", "bundles");
    public static final ResourceDefinitionContext BUNDLE_DEPLOYMENT = ctx("BundleDeployment", "bundledeployments");
    public static final ResourceDefinitionContext CLUSTER = ctx("Cluster", "clusters");

    /** How the simulator runs. */
    public record Config(
            String workspace,
            Duration pollInterval,
            Duration applyDelay,
            Duration readyDelay,
            Path gitCache,
            String gitUser,
            String gitPassword,
            int workers,
            Spread spread) {

        /** Fleet's controllers run several workers; so does the simulator (8 unless told). */
        public static final int DEFAULT_WORKERS = 8;

        public Config(
                String workspace,
                Duration pollInterval,
                Duration applyDelay,
                Duration readyDelay,
                Path gitCache,
                String gitUser,
                String gitPassword) {
            this(
                    workspace,
                    pollInterval,
                    applyDelay,
                    readyDelay,
                    gitCache,
                    gitUser,
                    gitPassword,
                    DEFAULT_WORKERS,
                    Spread.FIXED);
        }

        public static Config defaults(Path gitCache) {
            return new Config(
                    "fleet-default", Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, gitCache, null, null);
        }

        public Config withDelays(Duration apply, Duration ready) {
            return new Config(workspace, pollInterval, apply, ready, gitCache, gitUser, gitPassword, workers, spread);
        }

        public Config withGitCredentials(String user, String password) {
            return new Config(
                    workspace, pollInterval, applyDelay, readyDelay, gitCache, user, password, workers, spread);
        }

        /** How many BundleDeployments the controller writes, and agents report, at once (Fleet's are concurrent). */
        public Config withWorkers(int n) {
            return new Config(
                    workspace,
                    pollInterval,
                    applyDelay,
                    readyDelay,
                    gitCache,
                    gitUser,
                    gitPassword,
                    Math.max(1, n),
                    spread);
        }

        /** How the apply and ready delays spread over the clusters (their means stay the configured delays). */
        public Config withSpread(Spread s) {
            return new Config(
                    workspace, pollInterval, applyDelay, readyDelay, gitCache, gitUser, gitPassword, workers, s);
        }
    }

    /** The mock server logs every request at INFO; kept referenced so that the level is not garbage-collected. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final Config config;
    private final KubernetesMockServer server;
    private final IndexedCrudDispatcher dispatcher;
    private final KubernetesClient client; // over HTTP, for whoever asks (tests, tools)
    private final KubernetesClient api; // in-process: the simulator's own controller and agents
    private final GitSource git;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, SimCluster> clusters = new ConcurrentHashMap<>();
    // gitrepo -> commit+targets+labels; cleared by setBehaviour from the caller's thread while a pass may read it
    private final Map<String, String> renderedFingerprint = new ConcurrentHashMap<>();
    private final Map<String, PendingApply> pending = new ConcurrentHashMap<>(); // bd key -> agent work
    // bd key -> labels+spec the controller last wrote: an unchanged BundleDeployment is not written again
    private final Map<String, String> written = new ConcurrentHashMap<>();
    // bd key -> the BundleDeployment as the API server last answered a write of ours: controller and agents write
    // with its resourceVersion instead of reading it first (a 409 drops it, and the next pass reads it again)
    private final Map<String, GenericKubernetesResource> latest = new ConcurrentHashMap<>();
    // gitrepo -> keys (namespace/name) of the BundleDeployments the controller wrote for it and has not deleted
    private final Map<String, Set<String>> deployed = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private ScheduledExecutorService loop;

    /** One simulated downstream cluster. */
    static final class SimCluster {
        final String name;
        final String namespace;
        volatile Map<String, String> labels;
        volatile Behaviour behaviour = Behaviour.READY;

        SimCluster(String name, String namespace, Map<String, String> labels) {
            this.name = name;
            this.namespace = namespace;
            this.labels = Map.copyOf(labels);
        }
    }

    /** Agent work: apply {@code deploymentId} to a BundleDeployment once {@code due}. */
    record PendingApply(
            String namespace, String name, String cluster, String deploymentId, Instant due, boolean ready) {}

    private FleetSimulator(Config config, KubernetesMockServer server, IndexedCrudDispatcher dispatcher, Clock clock) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.server = server;
        this.client = server.createClient();
        this.api = server.createClient(new InProcessHttpClient.Factory(dispatcher));
        this.git = new GitSource(config.gitCache(), config.gitUser(), config.gitPassword());
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread t = new Thread(r, "fleet-sim-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the API server on {@code port} (0: any free port) with Fleet's CRDs and the workspace namespace. */
    public static FleetSimulator start(Config config, int port) {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        List<CustomResourceDefinition> crds = loadCrds();
        List<CustomResourceDefinitionContext> contexts =
                crds.stream().map(CustomResourceDefinitionContext::fromCrd).toList();
        IndexedCrudDispatcher dispatcher = new IndexedCrudDispatcher(contexts);
        KubernetesMockServer server =
                new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        FleetSimulator sim = new FleetSimulator(config, server, dispatcher, Clock.systemUTC());
        for (CustomResourceDefinition crd : crds) {
            sim.api
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .create();
        }
        sim.api
                .namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(config.workspace())
                        .endMetadata()
                        .build())
                .create();
        return sim;
    }

    /** Runs {@link #reconcile()} every poll interval until closed. */
    public FleetSimulator runInBackground() {
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-sim");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, config.pollInterval().toMillis());
        loop.scheduleWithFixedDelay(
                () -> {
                    try {
                        reconcile();
                    } catch (RuntimeException e) {
                        LOG.warnf("fleet-sim pass failed (next in %d ms): %s", every, e.getMessage());
                    }
                },
                0,
                every,
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** The API server's URL, for a fabric8 client or a kubeconfig. */
    public String apiUrl() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    /** A client of the API server, over HTTP as any other client. */
    public KubernetesClient client() {
        return client;
    }

    public String workspace() {
        return config.workspace();
    }

    // ---- clusters

    /** Registers a downstream cluster as Fleet's agent registration and cluster controller would. */
    public synchronized void addCluster(String name, Map<String, String> labels) {
        String ns = FleetNames.clusterNamespace(config.workspace(), name);
        api.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .addToLabels("fleet.cattle.io/managed", "true")
                        .addToAnnotations("fleet.cattle.io/cluster-namespace", config.workspace())
                        .addToAnnotations("fleet.cattle.io/cluster", name)
                        .endMetadata()
                        .build())
                .create();
        GenericKubernetesResource c = new GenericKubernetesResource();
        c.setApiVersion(GROUP + "/" + VERSION);
        c.setKind("Cluster");
        c.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .withNamespace(config.workspace())
                .withLabels(new LinkedHashMap<>(labels))
                .withFinalizers("fleet.cattle.io/cluster-finalizer")
                .build());
        c.setAdditionalProperty("spec", Map.of());
        api.genericKubernetesResources(CLUSTER)
                .inNamespace(config.workspace())
                .resource(c)
                .create();
        c.setAdditionalProperty("status", FleetStatus.clusterStatus(ns, clock.instant()));
        api.genericKubernetesResources(CLUSTER)
                .inNamespace(config.workspace())
                .resource(c)
                .updateStatus();
        clusters.put(name, new SimCluster(name, ns, labels));
    }

    /**
     * Creates a GitRepo in the workspace, as a person (or fleet-watcher) would: the repository, its branch, the paths
     * of its bundles, and the targets that select clusters.
     */
    public void addGitRepo(
            String name, String repoUrl, String branch, List<String> paths, List<Map<String, Object>> targets) {
        GenericKubernetesResource repo = new GenericKubernetesResource();
        repo.setApiVersion(GROUP + "/" + VERSION);
        repo.setKind("GitRepo");
        repo.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .withNamespace(config.workspace())
                .build());
        repo.setAdditionalProperty(
                "spec", Map.of("repo", repoUrl, "branch", branch, "paths", paths, "targets", targets));
        api.genericKubernetesResources(GITREPO)
                .inNamespace(config.workspace())
                .resource(repo)
                .create();
    }

    /** Changes a cluster's labels in the manager, as a person (or fleet-watcher) would. */
    public void relabel(String name, Map<String, String> labels) {
        api.genericKubernetesResources(CLUSTER)
                .inNamespace(config.workspace())
                .withName(name)
                .edit(c -> {
                    c.getMetadata().setLabels(new LinkedHashMap<>(labels));
                    return c;
                });
    }

    /** Switches how a cluster's agent answers from now on. */
    public void setBehaviour(String cluster, Behaviour behaviour) {
        SimCluster c = cluster(cluster);
        c.behaviour = behaviour;
        renderedFingerprint.clear(); // a paused/unpaused cluster changes what the controller writes
        written.keySet().removeIf(k -> k.startsWith(c.namespace + "/"));
        latest.keySet().removeIf(k -> k.startsWith(c.namespace + "/"));
    }

    /** Whether the controller has written GitRepo {@code name}'s BundleDeployments for {@code commit}. */
    public boolean rendered(String name, String commit) {
        String f = renderedFingerprint.get(name);
        return f != null && f.startsWith(commit + "|");
    }

    /** BundleDeployments the controller has written and not deleted. */
    public int bundleDeployments() {
        return written.size();
    }

    /** BundleDeployments whose agent has yet to apply or report them (offline agents' included). */
    public int pendingAgentWork() {
        return pending.size();
    }

    /** How many objects the API server holds. */
    public int storedObjects() {
        return dispatcher.size();
    }

    /** The namespace of a cluster's BundleDeployments. */
    public String clusterNamespace(String cluster) {
        return cluster(cluster).namespace;
    }

    private SimCluster cluster(String name) {
        SimCluster c = clusters.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no simulated cluster " + name);
        }
        return c;
    }

    // ---- the controller and agent pass

    /** One pass of Fleet's controllers and the agents. */
    private static final Duration SUMMARY_EVERY = Duration.ofSeconds(1);

    private Instant lastSummary = Instant.EPOCH;
    private Duration summaryTook = Duration.ZERO;

    /** Fans the BundleDeployments' states out to Bundles, GitRepos and Clusters now. */
    public synchronized void summarize() {
        FleetSummaries.update(api, config.workspace(), BUNDLE, BUNDLE_DEPLOYMENT, GITREPO, CLUSTER);
        lastSummary = clock.instant();
    }

    public synchronized void reconcile() {
        forgetRecordedRequests();
        syncClusterLabels();
        String labels = labelsFingerprint();
        for (GenericKubernetesResource repo : api.genericKubernetesResources(GITREPO)
                .inNamespace(config.workspace())
                .list()
                .getItems()) {
            try {
                reconcileGitRepo(repo, labels);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("GitRepo %s: %s", repo.getMetadata().getName(), e.getMessage());
            }
        }
        runAgents();
        // Fleet's status controllers fan out asynchronously too. Once a second keeps the writes bounded, and at
        // most a tenth of the time: with 100,000 BundleDeployments one fan-out reads them all.
        Duration every = summaryTook.multipliedBy(10).compareTo(SUMMARY_EVERY) > 0
                ? summaryTook.multipliedBy(10)
                : SUMMARY_EVERY;
        if (clock.instant().isAfter(lastSummary.plus(every))) {
            Instant start = Instant.now();
            FleetSummaries.update(api, config.workspace(), BUNDLE, BUNDLE_DEPLOYMENT, GITREPO, CLUSTER);
            summaryTook = Duration.between(start, Instant.now());
            lastSummary = clock.instant();
        }
    }

    /**
     * fabric8's mock web server records every request it serves (for tests' {@code takeRequest}) in an unbounded
     * queue: at a few thousand requests a second that is the simulator's largest heap user within minutes. Nothing
     * here reads them; each pass drops them.
     */
    private void forgetRecordedRequests() {
        try {
            while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
                // dropped
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the tasks on the workers and waits for all; the first failure is rethrown once all have ended. */
    private void inParallel(List<Runnable> tasks) {
        List<Future<?>> running = new ArrayList<>(tasks.size());
        tasks.forEach(t -> running.add(workers.submit(t)));
        RuntimeException first = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Picks up label changes made through the API (a person, or fleet-watcher). */
    private void syncClusterLabels() {
        for (GenericKubernetesResource c : api.genericKubernetesResources(CLUSTER)
                .inNamespace(config.workspace())
                .list()
                .getItems()) {
            SimCluster sim = clusters.get(c.getMetadata().getName());
            Map<String, String> labels = c.getMetadata().getLabels() == null
                    ? Map.of()
                    : c.getMetadata().getLabels();
            if (sim != null && !sim.labels.equals(labels)) {
                sim.labels = Map.copyOf(labels);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void reconcileGitRepo(GenericKubernetesResource repo, String labels) throws IOException {
        Map<String, Object> spec =
                (Map<String, Object>) repo.getAdditionalProperties().getOrDefault("spec", Map.of());
        String name = repo.getMetadata().getName();
        String url = (String) spec.get("repo");
        String branch = (String) spec.getOrDefault("branch", "master");
        List<String> paths = spec.get("paths") instanceof List<?> p && !p.isEmpty()
                ? p.stream().map(String::valueOf).toList()
                : List.of(".");
        List<Map<String, Object>> targets = spec.get("targets") instanceof List<?> t
                ? t.stream().map(x -> (Map<String, Object>) x).toList()
                : List.of(Map.of("name", "default", "clusterGroup", "default"));
        String commit = git.head(url, branch);
        String fingerprint = commit + "|" + json.writeValueAsString(targets) + "|" + labels;
        if (fingerprint.equals(renderedFingerprint.get(name))) {
            return;
        }
        Map<String, String> repoLabels = new LinkedHashMap<>();
        if (repo.getMetadata().getLabels() != null) {
            repoLabels.putAll(repo.getMetadata().getLabels());
        }
        repoLabels.put("fleet.cattle.io/repo-name", name);
        repoLabels.put("fleet.cattle.io/commit", commit);
        Set<String> keep = ConcurrentHashMap.newKeySet();
        Set<String> ours = deployed.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet());
        for (String path : paths) {
            String bundleName = FleetNames.bundleName(name, path);
            Map<String, String> files = git.files(url, commit, path);
            String fleetYaml = files.remove("fleet.yaml");
            if (fleetYaml == null) {
                LOG.warnf("GitRepo %s: no fleet.yaml in %s at %s", name, path, commit);
                continue;
            }
            BundleRenderer.Bundle bundle = BundleRenderer.Bundle.of(fleetYaml, files);
            upsert(
                    BUNDLE,
                    config.workspace(),
                    FleetObjects.bundle(config.workspace(), bundleName, repoLabels, bundle, targets));
            List<Runnable> writes = new ArrayList<>();
            for (SimCluster c : clusters.values()) {
                writes.add(() -> {
                    var rendered = BundleRenderer.render(
                            bundle, targets, new BundleRenderer.ClusterInfo(c.name, c.labels, Set.of()));
                    if (rendered.isPresent()) {
                        keep.add(c.namespace + "/" + bundleName);
                        ours.add(c.namespace + "/" + bundleName); // before the write: a failed create is looked at
                        writeBundleDeployment(c, bundleName, repoLabels, rendered.get());
                    }
                });
            }
            inParallel(writes);
        }
        deleteUntargeted(name, keep);
        patchGitRepoStatus(repo, commit);
        renderedFingerprint.put(name, fingerprint);
    }

    private String labelsFingerprint() {
        StringBuilder s = new StringBuilder();
        clusters.values().stream()
                .sorted(java.util.Comparator.comparing(c -> c.name))
                .forEach(c -> s.append(c.name).append(c.labels).append(c.behaviour == Behaviour.PAUSED));
        return Integer.toHexString(s.toString().hashCode());
    }

    @SuppressWarnings("unchecked")
    private void writeBundleDeployment(
            SimCluster c, String bundleName, Map<String, String> repoLabels, BundleRenderer.Rendered r) {
        String key = c.namespace + "/" + bundleName;
        if (c.behaviour != Behaviour.PAUSED) { // a paused cluster's spec depends on what it holds: read it
            String intended = writtenFingerprint(FleetObjects.bundleDeployment(
                    config.workspace(), c.name, c.namespace, bundleName, repoLabels, r, r.deploymentId(), false));
            if (intended.equals(written.get(key))) {
                return; // as written before: nothing for Fleet to do (no write, no event)
            }
        }
        GenericKubernetesResource existing = latest.get(key);
        if (existing == null) {
            existing = api.genericKubernetesResources(BUNDLE_DEPLOYMENT)
                    .inNamespace(c.namespace)
                    .withName(bundleName)
                    .get();
        }
        String previous = null;
        if (existing != null) {
            Map<String, Object> spec =
                    (Map<String, Object>) existing.getAdditionalProperties().get("spec");
            previous = spec == null ? null : (String) spec.get("deploymentID");
        }
        boolean hold = c.behaviour == Behaviour.PAUSED && previous != null;
        String deploymentId = hold ? previous : r.deploymentId();
        GenericKubernetesResource bd = FleetObjects.bundleDeployment(
                config.workspace(), c.name, c.namespace, bundleName, repoLabels, r, deploymentId, hold);
        if (existing != null) {
            bd.getAdditionalProperties()
                    .put("status", existing.getAdditionalProperties().get("status"));
            bd.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        }
        var op = api.genericKubernetesResources(BUNDLE_DEPLOYMENT).inNamespace(c.namespace);
        GenericKubernetesResource now;
        try {
            now = existing == null ? op.resource(bd).create() : op.resource(bd).update();
        } catch (RuntimeException e) {
            latest.remove(key); // e.g. 409: someone else wrote it; the next pass reads it afresh
            throw e;
        }
        latest.put(key, now);
        written.put(key, writtenFingerprint(bd));
        String applied = FleetStatus.appliedDeploymentId(existing);
        if (!deploymentId.equals(applied)) {
            Instant due =
                    clock.instant().plus(config.spread().draw(config.applyDelay(), c.name, deploymentId, "apply"));
            pending.put(
                    c.namespace + "/" + bundleName,
                    new PendingApply(c.namespace, bundleName, c.name, deploymentId, due, false));
        } else if (existing != null) {
            // Only the labels moved (e.g. a commit for another ring): status stays; its display is recomputed.
            latest.put(key, FleetStatus.refreshDisplay(api, BUNDLE_DEPLOYMENT, now));
        }
    }

    /**
     * Deletes the GitRepo's BundleDeployments of clusters it no longer targets. Which ones it has is the controller's
     * own record ({@code deployed}), as Fleet's is its cache: listing them (10,000 for a ring of 10,000) on every
     * commit cost more than the commit's writes.
     */
    private void deleteUntargeted(String gitRepo, Set<String> keep) {
        Set<String> ours = deployed.getOrDefault(gitRepo, Set.of());
        for (String key : List.copyOf(ours)) {
            if (keep.contains(key)) {
                continue;
            }
            int slash = key.indexOf('/');
            // As Fleet: delete, then clean up and drop the finalizer so that the object goes away.
            var op = api.genericKubernetesResources(BUNDLE_DEPLOYMENT)
                    .inNamespace(key.substring(0, slash))
                    .withName(key.substring(slash + 1));
            if (op.get() != null) {
                op.delete();
                op.edit(x -> {
                    x.getMetadata().setFinalizers(List.of());
                    return x;
                });
            }
            ours.remove(key);
            pending.remove(key);
            written.remove(key);
            latest.remove(key);
        }
    }

    private void patchGitRepoStatus(GenericKubernetesResource repo, String commit) {
        api.genericKubernetesResources(GITREPO)
                .inNamespace(config.workspace())
                .withName(repo.getMetadata().getName())
                .editStatus(r -> {
                    r.setAdditionalProperty("status", FleetStatus.gitRepoStatus(commit, clock.instant()));
                    return r;
                });
    }

    /** The agents: apply due deployments, then report them ready, as each cluster's behaviour says. */
    private void runAgents() {
        Instant now = clock.instant();
        List<PendingApply> due = new ArrayList<>();
        pending.forEach((k, p) -> {
            if (!p.due().isAfter(now)) {
                due.add(p);
            }
        });
        inParallel(due.stream().<Runnable>map(p -> () -> agent(p, now)).toList());
    }

    /** One cluster's agent applying one BundleDeployment (and, with no ready delay, reporting it ready). */
    private void agent(PendingApply p, Instant now) {
        String key = p.namespace() + "/" + p.name();
        SimCluster c = clusters.get(p.cluster());
        Behaviour b = c == null ? Behaviour.OFFLINE : c.behaviour;
        if (b == Behaviour.OFFLINE) {
            return; // an agent that is away leaves it WaitApplied
        }
        boolean turnsReady = b == Behaviour.READY || b == Behaviour.MODIFIED || b == Behaviour.PAUSED;
        if (!p.ready() && turnsReady && config.readyDelay().isZero()) {
            // applied and ready in one status write, as an agent whose resources are ready at once may report them
            report(key, p, b, true, true, now);
            pending.remove(key);
            return;
        }
        GenericKubernetesResource reported = report(key, p, b, !p.ready(), false, now);
        if (reported == null) {
            pending.remove(key);
            return;
        }
        if (!p.ready() && turnsReady) {
            pending.put(
                    key,
                    new PendingApply(
                            p.namespace(),
                            p.name(),
                            p.cluster(),
                            p.deploymentId(),
                            now.plus(config.spread().draw(config.readyDelay(), p.cluster(), p.deploymentId(), "ready")),
                            true));
        } else {
            pending.remove(key);
        }
    }

    private GenericKubernetesResource report(
            String key, PendingApply p, Behaviour b, boolean applying, boolean andReady, Instant now) {
        try {
            GenericKubernetesResource bd =
                    FleetStatus.agentReport(api, BUNDLE_DEPLOYMENT, p, b, applying, andReady, now, latest.get(key));
            if (bd == null) {
                latest.remove(key);
            } else {
                latest.put(key, bd);
            }
            return bd;
        } catch (RuntimeException e) {
            latest.remove(key); // e.g. 409; the work stays pending and the next pass reads it afresh
            throw e;
        }
    }

    /** What identifies a written BundleDeployment for the controller: its labels and spec. */
    private String writtenFingerprint(GenericKubernetesResource bd) {
        try {
            return json.writeValueAsString(List.of(
                    bd.getMetadata().getLabels(), bd.getAdditionalProperties().getOrDefault("spec", Map.of())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void upsert(ResourceDefinitionContext ctx, String namespace, GenericKubernetesResource r) {
        // The mock server answers 404 to a server-side apply of a missing object: create, or update.
        var op = api.genericKubernetesResources(ctx).inNamespace(namespace);
        if (op.withName(r.getMetadata().getName()).get() == null) {
            op.resource(r).create();
        } else {
            op.resource(r).update();
        }
    }

    private static ResourceDefinitionContext ctx(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP)
                .withVersion(VERSION)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }

    static List<CustomResourceDefinition> loadCrds() {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (String name : List.of("gitrepos", "bundles", "bundledeployments", "clusters", "clustergroups")) {
            try (InputStream in = FleetSimulator.class.getResourceAsStream("/fleet-crds/" + name + ".yaml")) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                crds.add(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                        text.replaceAll("(?m)^#.*$", "").replaceFirst("(?m)^---\\s*$", ""),
                        CustomResourceDefinition.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crds;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.shutdownNow();
        }
        workers.shutdownNow();
        api.close();
        client.close();
        server.destroy();
        git.close();
    }
}
