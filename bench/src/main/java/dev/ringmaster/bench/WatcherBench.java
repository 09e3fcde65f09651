package dev.ringmaster.bench;

import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.fleet.FleetNames;
import dev.ringmaster.fleetsim.FleetSimulator;
import dev.ringmaster.sandbox.Sandbox;
import dev.ringmaster.sandbox.SandboxConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Figure 4, first half: fleet-watcher's heap and CPU with {@code n} pending expectations. Publishes {@code n}
 * AwaitReady (one hour deadline) for bundles Fleet does not have, on the sandbox's clusters, waits until the
 * watcher has read them all, then measures its heap after a full GC ({@code jcmd GC.heap_info}), its RSS and its
 * CPU over 30 s of waiting.
 *
 * <p>{@code java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' -Dringmaster.home=.
 * dev.ringmaster.bench.WatcherBench 100000}
 */
public final class WatcherBench {

    public static void main(String[] args) throws Exception {
        int n = args.length == 0 ? 100_000 : Integer.parseInt(args[0]);
        Path home = Path.of(System.getProperty("ringmaster.home", "."))
                .toAbsolutePath()
                .normalize();
        SandboxConfig config = SandboxConfig.defaults(home)
                .withDir(home.resolve("bench/target/watcher-sandbox"))
                .withPorts(SandboxConfig.Ports.free())
                .withClusters(1000, 1);
        try (Sandbox s = Sandbox.start(config, System.out)) {
            long pid = s.servicePids().get("fleet-watcher");
            System.out.printf(
                    "fleet-watcher idle: heap used %s, RSS %d MB%n", heapUsed(pid), RolloutBench.rssKb(pid) / 1024);
            EventCodec codec = new EventCodec();
            OffsetDateTime deadline = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1);
            String rollout = UUID.randomUUID().toString();
            long t0 = System.nanoTime();
            try (KafkaProducer<String, String> p = Clients.producer(s.kafkaBootstrap(), 20)) {
                for (int i = 0; i < n; i++) {
                    String cluster = String.format("cluster-%03d", i % 1000);
                    String service = "ghost-" + (i / 1000);
                    AwaitReady a = new AwaitReady(
                            rollout,
                            "bench-watch",
                            service,
                            "http://127.0.0.1:9/" + service + ".git",
                            ".",
                            String.format("%040x", i),
                            "9.9.9",
                            new ClusterRef(cluster, 0, "fleet-default", cluster),
                            deadline);
                    ProducerRecord<String, String> r = new ProducerRecord<>(
                            Topics.FLEET_WATCHES, cluster, codec.encode(codec.wrap("/bench", rollout, a)));
                    r.headers().add("content-type", "application/cloudevents+json; charset=UTF-8".getBytes());
                    p.send(r);
                }
                p.flush();
            }
            // The watcher commits an AwaitReady's offset only once it is answered: count its pending expectations.
            awaitPending("http://127.0.0.1:" + s.config().ports().watcher() + "/q/metrics", n, Duration.ofMinutes(20));
            System.out.printf("%d AwaitReady published and read in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            long cpu0 = cpuTicks(pid);
            long w0 = System.nanoTime();
            Thread.sleep(30_000); // measuring CPU over a fixed window
            double cpu = (cpuTicks(pid) - cpu0) / 100.0 / ((System.nanoTime() - w0) / 1e9);
            System.out.printf(
                    "fleet-watcher with %d pending: heap used after full GC %s, RSS %d MB, CPU %.1f%% of one core%n",
                    n, heapUsed(pid), RolloutBench.rssKb(pid) / 1024, cpu * 100);
            Stats latency = readyLatency(s, rollout, Math.min(1000, n));
            System.out.printf(
                    "status change -> ClusterReady with %d pending, %d clusters turned ready: p50 %.0f ms, p99 %.0f ms,"
                            + " max %.0f ms%n",
                    n, latency.count(), latency.p50(), latency.p99(), latency.max());
        }
        System.exit(0);
    }

    /** How many expectations fleet-watcher holds (its gauge). */
    static double pending(String metricsUrl) throws Exception {
        return Metrics.scrape(metricsUrl, "ringmaster_watcher_pending_expectations").values().stream()
                .findFirst()
                .orElse(0.0);
    }

    static void awaitPending(String metricsUrl, double n, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        double seen = 0;
        while (System.nanoTime() < deadline) {
            seen = pending(metricsUrl);
            if (seen >= n) {
                return;
            }
            Thread.sleep(250); // a driver polling a metric
        }
        throw new IllegalStateException("fleet-watcher holds " + seen + " of " + n + " expectations after " + limit);
    }

    /**
     * Fleet reports the first {@code k} expectations' BundleDeployments ready (service ghost-0 on clusters 000..k-1,
     * written the way Fleet writes them); the latency of each is the ClusterReady event's time minus the moment the
     * BundleDeployment was written.
     */
    private static Stats readyLatency(Sandbox s, String rollout, int k) throws Exception {
        var client = s.fleet().client();
        String gitRepo = FleetNames.gitRepoName("bench-watch", "ghost-0");
        Map<String, Long> written = new HashMap<>();
        try (var consumer = Clients.consumer(s.kafkaBootstrap(), 500)) {
            var parts = consumer.partitionsFor(Topics.FLEET_EVENTS, Duration.ofSeconds(10)).stream()
                    .map(pi -> new TopicPartition(Topics.FLEET_EVENTS, pi.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            for (int i = 0; i < k; i++) {
                String cluster = String.format("cluster-%03d", i);
                String ns = FleetNames.clusterNamespace("fleet-default", cluster);
                var bd = new GenericKubernetesResourceBuilder()
                        .withApiVersion("fleet.cattle.io/v1alpha1")
                        .withKind("BundleDeployment")
                        .withNewMetadata()
                        .withName(gitRepo)
                        .withNamespace(ns)
                        .withLabels(Map.of(
                                "fleet.cattle.io/repo-name",
                                gitRepo,
                                "fleet.cattle.io/commit",
                                String.format("%040x", i),
                                "fleet.cattle.io/bundle-name",
                                gitRepo,
                                "fleet.cattle.io/bundle-namespace",
                                "fleet-default",
                                "fleet.cattle.io/cluster",
                                cluster,
                                "fleet.cattle.io/cluster-namespace",
                                "fleet-default",
                                "fleet.cattle.io/managed",
                                "true"))
                        .endMetadata()
                        .build();
                bd.setAdditionalProperty("spec", Map.of("deploymentID", "s-1:1", "stagedDeploymentID", "s-1:1"));
                var op = client.genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                        .inNamespace(ns);
                var created = op.resource(bd).create(); // status is a subresource: written by the agent, next
                created.setAdditionalProperty(
                        "status", Map.of("appliedDeploymentID", "s-1:1", "ready", true, "nonModified", true));
                written.put(cluster, System.currentTimeMillis());
                op.resource(created).updateStatus();
            }
            List<Double> latencies = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (latencies.size() < k && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    var e = Http.JSON.readTree(r.value());
                    var d = e.path("data");
                    if (e.path("type").asText().equals("ringmaster.fleet.cluster-ready.v1")
                            && rollout.equals(d.path("rolloutId").asText())
                            && written.containsKey(d.path("cluster").asText())) {
                        long at = OffsetDateTime.parse(e.path("time").asText())
                                .toInstant()
                                .toEpochMilli();
                        latencies.add(
                                (double) (at - written.get(d.path("cluster").asText())));
                    }
                }
            }
            return Stats.of(latencies);
        }
    }

    private static long cpuTicks(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]); // utime + stime, in clock ticks (100/s)
    }

    private static String heapUsed(long pid) throws Exception {
        run("jcmd", Long.toString(pid), "GC.run");
        String info = run("jcmd", Long.toString(pid), "GC.heap_info");
        long kb = 0; // the generations' "used", not Metaspace's
        for (String line : info.split("\n")) {
            var m = Pattern.compile("generation.*used (\\d+)K").matcher(line);
            if (m.find()) {
                kb += Long.parseLong(m.group(1));
            }
        }
        return (kb / 1024) + " MB";
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private WatcherBench() {}
}
