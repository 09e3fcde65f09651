package dev.ringmaster.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.rollout.RolloutPolicy;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.ServicePlan;
import dev.ringmaster.fleetsim.FleetSimulator;
import dev.ringmaster.sandbox.SampleApp;
import dev.ringmaster.sandbox.Sandbox;
import dev.ringmaster.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole-system benchmark: the sandbox's processes (Kafka, PostgreSQL, the five services; fleet-sim with no
 * apply/ready delay), one application of {@code services} services in 4 dependency layers on a ring of {@code
 * clusters} clusters. Measures in one run: the rollout's wall time; the DAG hand-off (last ClusterReady of a
 * dependency on fleet.events -> BumpVersion of its dependent on git.commands, from the events' own times); the raw
 * broker rate for as many messages of the same size, and the orchestrator's input rate as a share of it; catalog
 * reads (req/s, p99) on an application of {@code readServices} services and {@code readClusters} clusters; each
 * service's start-up time and idle RSS.
 */
public final class RolloutBench {

    static final String APP = "bench";
    static final String READS_APP = "reads";

    public record Options(
            Path home,
            Path dir,
            int clusters,
            int services,
            int readServices,
            int readClusters,
            Duration readDuration,
            int readThreads,
            Duration fleetPoll,
            int warmUpDeployments) {

        /**
         * Warm-up rollouts before the measured one: enough for {@code warmUpDeployments} cluster x service
         * deployments, at least one (none when 0).
         */
        int warmUpRollouts() {
            if (warmUpDeployments <= 0) {
                return 0;
            }
            int perRollout = clusters * services;
            return Math.max(1, (warmUpDeployments + perRollout - 1) / perRollout);
        }
    }

    /**
     * Deployments the warm-up rollouts pass through every JVM before the measured rollout. After one 100-cluster
     * warm-up (1,000 deployments) the JVMs were still compiling: in the measured rollout 54 % of the driver's CPU
     * (async-profiler, session 9) was its JIT compiler threads, on the same two cores as the services. JMH's
     * practice: warm up until the code is compiled, then measure; 10,000 is one 1,000-cluster rollout.
     */
    static final int WARM_UP_DEPLOYMENTS = 10_000;

    /** The orchestrator's counters of how it took and stored rollout states: how batches went, and cache misses. */
    static final String ORCHESTRATOR_COUNTERS = "ringmaster_orchestrator_";

    public record Result(
            Options options,
            Duration coldRollout,
            int warmUpRollouts,
            String phase,
            Duration rollout,
            Duration catalogView,
            Stats handoffMillis,
            Stats publishedHandoffMillis,
            Stats brokerHopMillis,
            long messages,
            String databaseTables,
            String orchestratorCounters,
            long bytes,
            double rawPerSecond,
            double orchestratorPerSecond,
            long orchestratorInputs,
            double orchestratorBurstPerSecond,
            int burstCount,
            double burstRawPerSecond,
            double readsPerSecond,
            Stats readMillis,
            String readGenerator,
            Map<String, Duration> startup,
            Map<String, Long> idleRssKb,
            String breakdown,
            String rolloutCpu,
            String readsCpu,
            String fleetPriority,
            String jvmOptions) {

        public double ratio() {
            return orchestratorPerSecond / rawPerSecond;
        }
    }

    private RolloutBench() {}

    /** The services and their dependencies: {@code n} services in 4 layers, each depending on 1-2 of the layer above. */
    static Map<String, List<String>> dag(int n) {
        Map<String, List<String>> dag = new LinkedHashMap<>();
        List<List<String>> layers = new ArrayList<>();
        int next = 0;
        for (int l = 0; l < 4; l++) {
            int size = n / 4 + (l < n % 4 ? 1 : 0);
            List<String> layer = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String name = String.format("svc-%02d", next++);
                layer.add(name);
                List<String> deps = new ArrayList<>();
                if (l > 0) {
                    List<String> above = layers.get(l - 1);
                    deps.add(above.get(i % above.size()));
                    if (above.size() > 1) {
                        deps.add(above.get((i + 1) % above.size()));
                    }
                }
                dag.put(name, deps);
            }
            layers.add(layer);
        }
        return dag;
    }

    public static Result run(Options o, PrintStream log) throws Exception {
        SandboxConfig config = SandboxConfig.defaults(o.home())
                .withDir(o.dir())
                .withPorts(SandboxConfig.Ports.free())
                .withClusters(o.clusters(), 1)
                .withFleetPoll(o.fleetPoll());
        log.printf("starting the sandbox: %d clusters on ring 0 ...%n", o.clusters());
        try (Sandbox s = Sandbox.start(config, log)) {
            Map<String, Long> rss = idleRss(s);
            Http api = new Http(s.catalogUrl());
            Map<String, List<String>> dag = dag(o.services());
            register(s, api, dag, o.clusters(), log);
            awaitDeployed(s.fleet(), o.clusters() * dag.size(), log);
            String fleetPriority = Nice.lower(Nice.configured(), log);

            Duration cold = Duration.ZERO;
            // the JVMs (the services', and the driver's with the simulated Fleet) compile their hot paths during
            // the first rollouts (JIT took half the orchestrator's CPU of a cold 1,000-cluster run): the measured
            // rollout comes after warm-up rollouts, as a long-running installation's would; the first is reported
            for (int i = 0; i < o.warmUpRollouts(); i++) {
                String version = "1.5." + i;
                dag.keySet()
                        .forEach(svc -> api.put(
                                "/applications/" + APP + "/services/" + svc + "/plan", Map.of("version", version)));
                log.printf("warm-up %d of %d: rolling out ring 0 to %s ...%n", i + 1, o.warmUpRollouts(), version);
                String first = api.post(
                                "/applications/" + APP + "/rollouts", Map.of("ring", 0, "requestedBy", "bench warm-up"))
                        .path("id")
                        .asText();
                JsonNode done = awaitEnd(api, first, Duration.ofMinutes(60));
                if (!done.path("phase").asText().equals("SUCCEEDED")) {
                    throw new IllegalStateException("the warm-up rollout ended " + done.path("phase"));
                }
                Duration took = Duration.between(
                        OffsetDateTime.parse(done.path("requestedAt").asText()),
                        OffsetDateTime.parse(done.path("updatedAt").asText()));
                if (i == 0) {
                    cold = took; // the first rollout after start-up, reported beside the measured one
                }
                log.printf("warm-up rollout: %d ms (catalog view)%n", took.toMillis());
            }

            dag.keySet()
                    .forEach(svc ->
                            api.put("/applications/" + APP + "/services/" + svc + "/plan", Map.of("version", "2.0.0")));
            log.println("rolling out ring 0 ...");
            Map<String, Long> cpuBefore = Cpu.ticks();
            Map<String, PgStats.Table> dbBefore = databaseStats(s);
            String orchestratorMetrics =
                    "http://127.0.0.1:" + s.config().ports().orchestrator() + "/q/metrics";
            Map<String, Double> countersBefore = Metrics.scrape(orchestratorMetrics, ORCHESTRATOR_COUNTERS);
            BrokerProbe probe = new BrokerProbe(s.kafkaBootstrap(), Topics.FLEET_EVENTS);
            String id;
            JsonNode summary;
            try {
                id = api.post("/applications/" + APP + "/rollouts", Map.of("ring", 0, "requestedBy", "bench"))
                        .path("id")
                        .asText();
                summary = awaitEnd(api, id, Duration.ofMinutes(60));
            } finally {
                probe.close();
            }
            String rolloutCpu = Cpu.since(cpuBefore, Cpu.ticks());
            String orchestratorCounters =
                    Metrics.since(countersBefore, Metrics.scrape(orchestratorMetrics, ORCHESTRATOR_COUNTERS));
            log.println("the orchestrator's counters during the rollout: " + orchestratorCounters);
            log.println("CPU during the rollout: " + rolloutCpu);
            OffsetDateTime requested =
                    OffsetDateTime.parse(summary.path("requestedAt").asText());
            // what a person sees: the catalog's view of the rollout has caught up with its end
            Duration view = Duration.between(
                    requested, OffsetDateTime.parse(summary.path("updatedAt").asText()));
            Topicwise t = readTopics(s.kafkaBootstrap(), id);
            t.probe = probe;
            String database = PgStats.since(dbBefore, databaseStats(s), 4);
            log.println("PostgreSQL during the rollout (and the reading of the topics): " + database);
            // the rollout itself: the orchestrator's terminal event (every cluster runs every new version)
            Duration wall = t.endedAt > 0
                    ? Duration.ofMillis(t.endedAt - requested.toInstant().toEpochMilli())
                    : view;
            log.printf(
                    "rollout %s: %s in %d ms (catalog view caught up after %d ms)%n",
                    id, summary.path("phase").asText(), wall.toMillis(), view.toMillis());

            Stats handoff = Stats.of(t.handoffs(dag, t.bump));
            Stats published = Stats.of(t.handoffs(dag, t.bumpSent));
            Stats brokerHop = probe.ages();
            int size = (int) Math.max(1, t.bytes / Math.max(1, t.messages));
            double raw = rawRate(s.kafkaBootstrap(), t.messages, size);
            double orchestrator = t.orchestratorInputs / Math.max(0.001, wall.toMillis() / 1000.0);
            // the synthetic request carries its clusters like the catalog's: ~80 bytes each, and Kafka takes 1 MB
            int burstCount = Math.max(1_000, Math.min(10_000, o.clusters()));
            double burst = orchestratorBurst(s, burstCount, log);
            double burstRaw = rawRate(s.kafkaBootstrap(), burstCount, size); // the same number and size

            Map<String, Long> readsBefore = Cpu.ticks();
            Reads reads = reads(s, api, dag, o, log);
            String readsCpu = Cpu.since(readsBefore, Cpu.ticks());
            log.println("CPU during the reads (set-up, warm-up, each endpoint, the mixed run): " + readsCpu);
            return new Result(
                    o,
                    cold,
                    o.warmUpRollouts(),
                    summary.path("phase").asText(),
                    wall,
                    view,
                    handoff,
                    published,
                    brokerHop,
                    t.messages,
                    database,
                    orchestratorCounters,
                    t.bytes,
                    raw,
                    orchestrator,
                    t.orchestratorInputs,
                    burst,
                    burstCount,
                    burstRaw,
                    reads.perSecond,
                    reads.millis,
                    reads.generator,
                    s.startupTimes(),
                    rss,
                    t.breakdown(dag),
                    rolloutCpu,
                    readsCpu,
                    fleetPriority,
                    jvmOptions());
        }
    }

    /** A table row of a sample in milliseconds: p50, p99, max and its size. */
    private static String millisRow(String label, Stats ms) {
        return String.format(
                "| %s | p50 %.0f ms, p99 %.0f ms, max %.0f ms (n=%d) |%n",
                label, ms.p50(), ms.p99(), ms.max(), ms.count());
    }

    /** The processes' JVM options beyond the sandbox's, as the sandbox takes them: "none" when there are none. */
    static String jvmOptions() {
        List<String> given = new ArrayList<>();
        List<String> processes = new ArrayList<>(Sandbox.SERVICES);
        processes.add("kafka");
        for (String process : processes) {
            String options = System.getProperty("ringmaster.sandbox.jvm-options." + process);
            if (options != null && !options.isBlank()) {
                given.add(process + " `" + options.trim() + "`");
            }
        }
        return given.isEmpty() ? "none" : String.join("; ", given);
    }

    private static Map<String, Long> idleRss(Sandbox s) {
        Map<String, Long> rss = new LinkedHashMap<>();
        s.servicePids().forEach((name, pid) -> rss.put(name, rssKb(pid)));
        return rss;
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static void register(Sandbox s, Http api, Map<String, List<String>> dag, int clusters, PrintStream log)
            throws Exception {
        log.printf("registering %d services and %d clusters ...%n", dag.size(), clusters);
        api.post("/applications", Map.of("name", APP));
        for (Map.Entry<String, List<String>> e : dag.entrySet()) {
            String url = s.createRepository(e.getKey(), SampleApp.files(e.getKey(), 1));
            api.post(
                    "/applications/" + APP + "/services",
                    Map.of("name", e.getKey(), "repoUrl", url, "currentVersion", "1.0.0", "dependsOn", e.getValue()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> f = new ArrayList<>();
            for (int i = 0; i < clusters; i++) {
                String name = String.format("cluster-%03d", i);
                f.add(pool.submit(
                        () -> api.post("/applications/" + APP + "/clusters", Map.of("name", name, "ring", 0))));
            }
            for (Future<?> x : f) {
                x.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Until Fleet runs every service at 1.0.0 everywhere: the rollout is measured from a settled fleet. */
    private static void awaitDeployed(FleetSimulator fleet, int expected, PrintStream log) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        while (Instant.now().isBefore(deadline)) {
            // the simulator's own count: listing 100,000 BundleDeployments each second would load the API server
            int n = fleet.bundleDeployments();
            if (n >= expected && fleet.pendingAgentWork() == 0) {
                log.printf("Fleet runs %d BundleDeployments%n", n);
                return;
            }
            Thread.sleep(1000); // a driver polling Fleet's API, not a test
        }
        throw new IllegalStateException("Fleet did not deploy " + expected + " BundleDeployments in time");
    }

    private static JsonNode awaitEnd(Http api, String id, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode r : api.get("/rollouts?application=" + APP + "&size=5")) {
                if (r.path("id").asText().equals(id)
                        && List.of("SUCCEEDED", "FAILED", "ERRORED", "ABORTED", "PAUSED")
                                .contains(r.path("phase").asText())) {
                    return r;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the rollout did not end within " + limit);
    }

    /** PostgreSQL's per-table counters now (empty when they cannot be read: the figure is then missing, not wrong). */
    private static Map<String, PgStats.Table> databaseStats(Sandbox s) {
        try (java.sql.Connection c = s.connectToDatabase()) {
            return PgStats.snapshot(c);
        } catch (java.sql.SQLException e) {
            System.err.println("cannot read PostgreSQL's statistics: " + e.getMessage());
            return Map.of();
        }
    }

    /** What the run put on the topics. */
    static final class Topicwise {
        long messages;
        long bytes;
        long orchestratorInputs;
        long endedAt; // epoch ms of the rollout's terminal event, 0 if none
        final Map<String, Long> lastReady = new HashMap<>(); // service -> epoch ms of its last ClusterReady
        final Map<String, Long> bump = new HashMap<>(); // service -> epoch ms of its BumpVersion
        final Map<String, Long> committed = new HashMap<>(); // service -> epoch ms of its VersionCommitted
        final Map<String, Long> firstReady = new HashMap<>(); // service -> epoch ms of its first ClusterReady
        // the same two moments as the broker's record timestamps (the producer's send time): where a hand-off waits
        final Map<String, Long> lastReadySent = new HashMap<>(); // service -> its last ClusterReady handed to Kafka
        final Map<String, Long> bumpSent = new HashMap<>(); // service -> its BumpVersion handed to Kafka (the relay)
        final Map<String, long[]> lastReadyRecord = new HashMap<>(); // service -> {partition, offset} of its last ready
        BrokerProbe probe; // when each fleet.events record reached a plain consumer, if one read along

        /** Per service: bump -> committed, committed -> first ready, first -> last ready (ms). */
        String breakdown(Map<String, List<String>> dag) {
            StringBuilder b = new StringBuilder(
                    "| service | commit (bump -> committed) | to first ready | first -> last ready |\n");
            b.append("| --- | --- | --- | --- |\n");
            for (String svc : dag.keySet()) {
                if (bump.containsKey(svc) && committed.containsKey(svc) && firstReady.containsKey(svc)) {
                    b.append(String.format(
                            "| %s | %d ms | %d ms | %d ms |%n",
                            svc,
                            committed.get(svc) - bump.get(svc),
                            firstReady.get(svc) - committed.get(svc),
                            lastReady.get(svc) - firstReady.get(svc)));
                }
            }
            b.append(
                    "\nEach hand-off in parts: the watcher's answer (its event time) -> sent to Kafka (a plain consumer in"
                            + " the driver got it) -> the orchestrator made the BumpVersion (its event time) -> the outbox"
                            + " relay sent it:\n\n");
            b.append("| dependent | answer -> sent | sent -> BumpVersion made (of which: to a plain consumer) |"
                    + " made -> sent by the relay |\n");
            b.append("| --- | --- | --- | --- |\n");
            dag.forEach((svc, deps) -> {
                if (deps.isEmpty() || !bump.containsKey(svc) || !bumpSent.containsKey(svc)) {
                    return;
                }
                String last = deps.stream()
                        .filter(lastReady::containsKey)
                        .max(java.util.Comparator.comparing(lastReady::get))
                        .orElse(null);
                if (last == null || !lastReadySent.containsKey(last)) {
                    return;
                }
                long[] record = lastReadyRecord.get(last);
                Long probed = probe == null ? null : probe.receivedAt((int) record[0], record[1]);
                b.append(String.format(
                        "| %s (after %s) | %d ms | %d ms (%s) | %d ms |%n",
                        svc,
                        last,
                        lastReadySent.get(last) - lastReady.get(last),
                        bump.get(svc) - lastReadySent.get(last),
                        probed == null ? "-" : (probed - lastReadySent.get(last)) + " ms",
                        bumpSent.get(svc) - bump.get(svc)));
            });
            return b.toString();
        }

        /**
         * Per dependent service: its dependencies' last ClusterReady (the watcher's event time) -> its BumpVersion at
         * {@code bumpAt} ({@link #bump}: made, its event time; {@link #bumpSent}: published by the outbox relay).
         */
        List<Double> handoffs(Map<String, List<String>> dag, Map<String, Long> bumpAt) {
            List<Double> out = new ArrayList<>();
            dag.forEach((svc, deps) -> {
                if (!deps.isEmpty() && bumpAt.containsKey(svc) && deps.stream().allMatch(lastReady::containsKey)) {
                    long ready = deps.stream().mapToLong(lastReady::get).max().orElseThrow();
                    out.add((double) (bumpAt.get(svc) - ready));
                }
            });
            return out;
        }
    }

    static Topicwise readTopics(String bootstrap, String rolloutId) {
        Topicwise t = new Topicwise();
        List<String> topics = List.of(
                Topics.CATALOG_EVENTS,
                Topics.ROLLOUT_REQUESTS,
                Topics.ROLLOUT_EVENTS,
                Topics.GIT_COMMANDS,
                Topics.GIT_EVENTS,
                Topics.FLEET_WATCHES,
                Topics.FLEET_EVENTS);
        try (KafkaConsumer<String, String> c = Clients.consumer(bootstrap, 5000)) {
            List<TopicPartition> parts = new ArrayList<>();
            topics.forEach(topic -> c.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(p -> parts.add(new TopicPartition(topic, p.partition()))));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    t.messages++;
                    t.bytes += r.value() == null ? 0 : r.value().length();
                    JsonNode e;
                    try {
                        e = Http.JSON.readTree(r.value());
                    } catch (IOException ex) {
                        continue;
                    }
                    JsonNode d = e.path("data");
                    if (!rolloutId.equals(d.path("rolloutId").asText())) {
                        continue;
                    }
                    long at = OffsetDateTime.parse(e.path("time").asText())
                            .toInstant()
                            .toEpochMilli();
                    String type = e.path("type").asText();
                    String svc = d.path("service").asText();
                    if (r.topic().equals(Topics.FLEET_EVENTS)
                            || r.topic().equals(Topics.GIT_EVENTS)
                            || r.topic().equals(Topics.ROLLOUT_REQUESTS)) {
                        t.orchestratorInputs++;
                    }
                    if (type.equals("ringmaster.fleet.cluster-ready.v1")) {
                        if (at >= t.lastReady.getOrDefault(svc, Long.MIN_VALUE)) {
                            t.lastReadySent.put(svc, r.timestamp());
                            t.lastReadyRecord.put(svc, new long[] {r.partition(), r.offset()});
                        }
                        t.lastReady.merge(svc, at, Math::max);
                        t.firstReady.merge(svc, at, Math::min);
                    } else if (type.equals("ringmaster.git.version-committed.v1")) {
                        t.committed.merge(svc, at, Math::min);
                    } else if (type.equals("ringmaster.git.bump-version.v1")) {
                        if (at < t.bump.getOrDefault(svc, Long.MAX_VALUE)) {
                            t.bumpSent.put(svc, r.timestamp());
                        }
                        t.bump.merge(svc, at, Math::min);
                    } else if (r.topic().equals(Topics.ROLLOUT_EVENTS)
                            && List.of("succeeded", "failed", "errored", "aborted", "paused")
                                    .contains(type.replace("ringmaster.rollout.", "")
                                            .replace(".v1", ""))) {
                        t.endedAt = t.endedAt == 0 ? at : Math.min(t.endedAt, at);
                    }
                }
            }
        }
        return t;
    }

    /**
     * The orchestrator's capacity, not the supply: a synthetic rollout (one service, {@code n} clusters Fleet does not
     * have, so nothing else answers them) is requested on rollout.requests; once its step is deploying and fleet-watcher
     * holds its {@code n} expectations, {@code n} ClusterReady go onto fleet.events in one burst, and the rate is {@code n} over the time from the first of them
     * to the orchestrator's step-completed event (which it sends once it has applied the last).
     */
    static double orchestratorBurst(Sandbox s, int n, PrintStream log) throws Exception {
        EventCodec codec = new EventCodec();
        String id = "burst-" + UUID.randomUUID();
        String url = s.createRepository("burst", SampleApp.files("burst", 1));
        List<ClusterRef> clusters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clusters.add(new ClusterRef(String.format("burst-%05d", i), 0, "fleet-default", "burst-" + i));
        }
        RolloutRequested request = new RolloutRequested(
                id,
                "burst",
                0,
                OffsetDateTime.now(),
                "bench",
                "ring",
                "ring-{n}",
                RolloutPolicy.DEFAULT,
                List.of(new ServicePlan(
                        "burst", url, "main", ".", "helm.values.image.tag", "1.0.0", "2.0.0", List.of())),
                clusters);
        log.printf("orchestrator burst: %d ClusterReady for a synthetic rollout ...%n", n);
        try (KafkaProducer<String, String> p = Clients.producer(s.kafkaBootstrap(), 5);
                KafkaConsumer<String, String> events = Clients.consumer(s.kafkaBootstrap(), 500)) {
            List<TopicPartition> parts = events.partitionsFor(Topics.ROLLOUT_EVENTS, Duration.ofSeconds(10)).stream()
                    .map(pi -> new TopicPartition(Topics.ROLLOUT_EVENTS, pi.partition()))
                    .toList();
            events.assign(parts);
            events.seekToEnd(parts);
            parts.forEach(events::position);
            String watcherMetrics = "http://127.0.0.1:" + s.config().ports().watcher() + "/q/metrics";
            double held = WatcherBench.pending(watcherMetrics);
            p.send(new ProducerRecord<>(Topics.ROLLOUT_REQUESTS, id, codec.encode(codec.wrap("/bench", id, request))))
                    .get(); // a request the broker refuses (e.g. too large) must fail here, not time out later
            awaitRolloutEvent(events, id, "ringmaster.rollout.step-committed.v1", Duration.ofMinutes(2));
            // fleet-watcher takes in the step's n AwaitReady first: a rollout's answers come after that, and the
            // figure is the orchestrator's, not the orchestrator's while the watcher takes a core
            WatcherBench.awaitPending(watcherMetrics, held + n, Duration.ofMinutes(5));
            // made before the clock starts, as the raw rate's messages are: the figure is the orchestrator's
            List<ProducerRecord<String, String>> answers = new ArrayList<>(n);
            for (ClusterRef c : clusters) {
                String value = codec.encode(codec.wrap(
                        "/bench", id, new dev.ringmaster.events.fleet.ClusterReady(id, "burst", c.name(), "x")));
                answers.add(new ProducerRecord<>(Topics.FLEET_EVENTS, c.name(), value));
            }
            long start = System.currentTimeMillis();
            answers.forEach(p::send);
            p.flush();
            List<long[]> progress = new ArrayList<>(); // {event time, clusters} of each clusters-ready: one per batch
            long completed = awaitRolloutEvent(
                    events, id, "ringmaster.rollout.step-completed.v1", Duration.ofMinutes(10), progress);
            double rate = n / Math.max(0.001, (completed - start) / 1000.0);
            log.printf(
                    "orchestrator burst: %d answers applied in %d ms, in %d batches (first applied after %d ms,"
                            + " largest %d)%n",
                    n,
                    completed - start,
                    progress.size(),
                    progress.isEmpty() ? -1 : progress.get(0)[0] - start,
                    progress.stream().mapToLong(x -> x[1]).max().orElse(0));
            return rate;
        }
    }

    /** Waits for an event of {@code type} of rollout {@code id}; returns the time in its envelope (epoch ms). */
    private static long awaitRolloutEvent(KafkaConsumer<String, String> c, String id, String type, Duration limit)
            throws IOException {
        return awaitRolloutEvent(c, id, type, limit, new ArrayList<>());
    }

    /** As above; adds {event time, clusters} of each clusters-ready of the rollout seen before it to {@code progress}. */
    private static long awaitRolloutEvent(
            KafkaConsumer<String, String> c, String id, String type, Duration limit, List<long[]> progress)
            throws IOException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                JsonNode e = Http.JSON.readTree(r.value());
                if (!id.equals(r.key())) {
                    continue;
                }
                long at = OffsetDateTime.parse(e.path("time").asText())
                        .toInstant()
                        .toEpochMilli();
                if (type.equals(e.path("type").asText())) {
                    return at;
                }
                if ("ringmaster.rollout.clusters-ready.v1".equals(e.path("type").asText())) {
                    progress.add(new long[] {at, e.path("data").path("clusters").size()});
                }
            }
        }
        throw new IllegalStateException("no " + type + " for " + id + " within " + limit);
    }

    /**
     * Produces {@code count} messages of {@code size} bytes (acks=all) and consumes them again: messages per second.
     * The clients connect, and the topic exists, before the clock starts: the figure is the broker's, not the clients'
     * start-up (which would otherwise dominate a count of a few thousand).
     */
    static double rawRate(String bootstrap, long count, int size) throws Exception {
        String topic = "bench.raw." + System.nanoTime();
        byte[] value = new byte[size];
        java.util.Arrays.fill(value, (byte) 'x');
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        ByteArraySerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                        ByteArraySerializer.class,
                        ProducerConfig.ACKS_CONFIG,
                        "all"));
                KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        ByteArrayDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        ByteArrayDeserializer.class,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000))) {
            p.send(new ProducerRecord<>(topic, new byte[0], value)).get(); // creates the topic; connects the producer
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition()))
                    .toList();
            c.assign(parts);
            c.seekToEnd(parts);
            parts.forEach(c::position); // connected, positioned after the first message
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                p.send(new ProducerRecord<>(topic, Long.toString(i).getBytes(), value));
            }
            p.flush();
            long consumed = 0;
            while (consumed < count) {
                consumed += c.poll(Duration.ofMillis(500)).count();
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    record Reads(double perSecond, Stats millis, String generator) {}

    private static Reads reads(Sandbox s, Http api, Map<String, List<String>> dag, Options o, PrintStream log)
            throws Exception {
        log.printf(
                "catalog reads: an application of %d services and %d clusters, %d threads for %d s ...%n",
                o.readServices(),
                o.readClusters(),
                o.readThreads(),
                o.readDuration().toSeconds());
        api.post("/applications", Map.of("name", READS_APP));
        // Repositories nobody serves (connection refused at once): the reads application exists for the catalog only.
        for (int i = 0; i < o.readServices(); i++) {
            List<String> deps = i == 0 ? List.of() : List.of(String.format("r-%02d", (i - 1) / 2));
            api.post(
                    "/applications/" + READS_APP + "/services",
                    Map.of(
                            "name",
                            String.format("r-%02d", i),
                            "repoUrl",
                            "http://127.0.0.1:9/reads/r" + i + ".git",
                            "currentVersion",
                            "1.0.0",
                            "dependsOn",
                            deps));
        }
        for (int i = 0; i < o.readClusters(); i++) {
            api.post(
                    "/applications/" + READS_APP + "/clusters",
                    Map.of(
                            "name",
                            String.format("rc-%04d", i),
                            "ring",
                            i % 3,
                            "fleetName",
                            String.format("ghost-%04d", i)));
        }
        List<String> paths = List.of(
                "/applications/" + READS_APP + "/services/r-07",
                "/applications/" + READS_APP + "/clusters/rc-0042",
                "/applications/" + READS_APP + "/map",
                "/applications/" + READS_APP + "/clusters/rc-0042/siblings",
                "/applications/" + READS_APP + "/services",
                "/applications");
        for (String p : paths) { // warm-up
            for (int i = 0; i < 50; i++) {
                api.status(p);
            }
        }
        if (Wrk.installed()) {
            List<String> full = paths.stream().map(p -> "/api/v1" + p).toList();
            Duration each = Duration.ofSeconds(Math.max(2, o.readDuration().toSeconds() / 4));
            for (String p : full) { // each endpoint alone, for the diagnosis; warms the JIT for the mixed run too
                Reads one = Wrk.run(s.catalogUrl(), List.of(p), o.readThreads(), each)
                        .orElseThrow();
                log.printf(
                        "  GET %s alone: %.0f req/s, p50 %.1f ms, p99 %.1f ms (wrk, %d connections)%n",
                        p, one.perSecond(), one.millis().p50(), one.millis().p99(), o.readThreads());
            }
            return Wrk.run(s.catalogUrl(), full, o.readThreads(), o.readDuration())
                    .orElseThrow();
        }
        List<List<Double>> perThread = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + o.readDuration().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(o.readThreads());
        List<Future<?>> f = new ArrayList<>();
        for (int t = 0; t < o.readThreads(); t++) {
            List<Double> mine = new ArrayList<>();
            perThread.add(mine);
            int offset = t;
            f.add(pool.submit(() -> {
                int i = offset;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        if (api.status(paths.get(i++ % paths.size())) != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    mine.add((System.nanoTime() - t0) / 1e6);
                }
                return null;
            }));
        }
        for (Future<?> x : f) {
            x.get();
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        List<Double> all = new ArrayList<>();
        perThread.forEach(all::addAll);
        // thread t's k-th read was of path (t + k) mod paths: the latency of each endpoint
        for (int p = 0; p < paths.size(); p++) {
            List<Double> one = new ArrayList<>();
            for (int t = 0; t < perThread.size(); t++) {
                List<Double> mine = perThread.get(t);
                for (int k = Math.floorMod(p - t, paths.size()); k < mine.size(); k += paths.size()) {
                    one.add(mine.get(k));
                }
            }
            Stats st = Stats.of(one);
            log.printf("  GET %s: p50 %.1f ms, p99 %.1f ms (n=%d)%n", paths.get(p), st.p50(), st.p99(), st.count());
        }
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " catalog reads failed");
        }
        return new Reads(
                all.size() / (o.readDuration().toMillis() / 1000.0),
                Stats.of(all),
                "JDK HttpClient, " + o.readThreads() + " threads in the driver");
    }

    /** The figures as a Markdown table. */
    public static String markdown(Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "| clusters x services | %d x %d (4 layers) |%n",
                r.options().clusters(), r.options().services()));
        b.append("| --- | --- |\n");
        b.append(String.format("| the simulated Fleet's CPU priority | %s |%n", r.fleetPriority()));
        b.append(String.format(
                "| JVM options beyond the sandbox's (`-Xmx256m -XX:+UseSerialGC` a service; Kafka: G1, `-Xmx512m`) | %s |%n",
                r.jvmOptions()));
        if (r.warmUpRollouts() > 0) {
            b.append(String.format(
                    "| warm-up: the first rollout after start-up (catalog view); warm-up rollouts in all | %.1f s; %d |%n",
                    r.coldRollout().toMillis() / 1000.0, r.warmUpRollouts()));
        }
        b.append(String.format(
                "| rollout (requested -> the orchestrator's terminal event)%s | %s in %.1f s |%n",
                r.warmUpRollouts() == 0 ? "" : ", after the warm-up",
                r.phase(),
                r.rollout().toMillis() / 1000.0));
        b.append(String.format(
                "| the catalog's view caught up (requested -> its updatedAt) | %.1f s |%n",
                r.catalogView().toMillis() / 1000.0));
        b.append(millisRow("DAG hand-off (last ClusterReady of the dependencies -> BumpVersion)", r.handoffMillis()));
        b.append(millisRow(
                "the same to the BumpVersion's publication (the relay's send, its Kafka timestamp)",
                r.publishedHandoffMillis()));
        b.append(millisRow(
                "reference: fleet.events to a plain consumer in the driver (producer's timestamp -> polled)",
                r.brokerHopMillis()));
        b.append(String.format(
                "| messages on the topics | %d (%d bytes, avg %d) |%n",
                r.messages(), r.bytes(), r.bytes() / Math.max(1, r.messages())));
        b.append(String.format(
                "| raw broker, produce + consume of as many messages | %.0f msg/s |%n", r.rawPerSecond()));
        b.append(String.format(
                "| orchestrator inputs during the rollout | %d, %.0f msg/s = %.1f%% of raw |%n",
                r.orchestratorInputs(), r.orchestratorPerSecond(), 100 * r.ratio()));
        b.append(String.format(
                "| orchestrator capacity: a burst of %d ClusterReady applied | %.0f msg/s = %.1f%% of raw for as many"
                        + " (%.0f msg/s), %.1f%% of raw for the run's count |%n",
                r.burstCount(),
                r.orchestratorBurstPerSecond(),
                100 * r.orchestratorBurstPerSecond() / r.burstRawPerSecond(),
                r.burstRawPerSecond(),
                100 * r.orchestratorBurstPerSecond() / r.rawPerSecond()));
        b.append(String.format(
                "| catalog reads (%d services, %d clusters; %s) | %.0f req/s, p50 %.1f ms, p99 %.1f ms |%n",
                r.options().readServices(),
                r.options().readClusters(),
                r.readGenerator(),
                r.readsPerSecond(),
                r.readMillis().p50(),
                r.readMillis().p99()));
        r.startup().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append(String.format(
                        "| %s: start-up (5 started together), idle RSS | %.1f s, %d MB |%n",
                        e.getKey(),
                        e.getValue().toMillis() / 1000.0,
                        r.idleRssKb().getOrDefault(e.getKey(), -1L) / 1024)));
        b.append(String.format("| CPU during the rollout, per process | %s |%n", r.rolloutCpu()));
        b.append(String.format(
                "| PostgreSQL during the rollout: the tables that read most rows | %s |%n", r.databaseTables()));
        b.append(String.format(
                "| the orchestrator's counters during the rollout (batches by how stored; rollout states taken from) | %s |%n",
                r.orchestratorCounters()));
        b.append(String.format("| CPU during the reads, per process | %s |%n", r.readsCpu()));
        b.append("\nWhere the rollout's time went, per service (from the events' times):\n\n")
                .append(r.breakdown());
        return b.toString();
    }
}
