package dev.ringmaster.bench;

import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.sandbox.Sandbox;
import dev.ringmaster.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

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
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    s.kafkaBootstrap(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class,
                    ProducerConfig.LINGER_MS_CONFIG,
                    20))) {
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
        }
        System.exit(0);
    }

    private static void awaitPending(String metricsUrl, int n, Duration limit) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + limit.toNanos();
        double seen = 0;
        while (System.nanoTime() < deadline) {
            String body = http.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(metricsUrl))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            var m = java.util.regex.Pattern.compile("(?m)^ringmaster_watcher_pending_expectations\\S* ([0-9.E+]+)")
                    .matcher(body);
            seen = m.find() ? Double.parseDouble(m.group(1)) : 0;
            if (seen >= n) {
                return;
            }
            Thread.sleep(1000); // a driver polling a metric
        }
        throw new IllegalStateException("fleet-watcher holds " + seen + " of " + n + " expectations after " + limit);
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
            var m = java.util.regex.Pattern.compile("generation.*used (\\d+)K").matcher(line);
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
