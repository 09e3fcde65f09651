package dev.ringmaster.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A standalone Kafka broker in KRaft mode (one node, broker and controller), as its own JVM: {@code kafka.Kafka}
 * with a generated server.properties, its storage formatted with {@code StorageTool format --standalone} the first
 * time. Data under {@code <dir>/data}.
 */
final class KafkaBroker implements AutoCloseable {

    private final ChildProcess process;
    private final String bootstrap;

    private KafkaBroker(ChildProcess process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    static KafkaBroker start(Path dir, int port, int controllerPort, Path logs, String classpath) {
        String bootstrap = "127.0.0.1:" + port;
        Path config = dir.resolve("server.properties");
        Path data = dir.resolve("data");
        try {
            Files.createDirectories(data);
            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", "1");
            p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://" + bootstrap);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
            p.setProperty("log.dirs", data.toAbsolutePath().toString());
            p.setProperty("num.partitions", "4");
            p.setProperty("auto.create.topics.enable", "true");
            p.setProperty("offsets.topic.replication.factor", "1");
            p.setProperty("offsets.topic.num.partitions", "4");
            p.setProperty("transaction.state.log.replication.factor", "1");
            p.setProperty("transaction.state.log.min.isr", "1");
            p.setProperty("share.coordinator.state.topic.replication.factor", "1");
            p.setProperty("share.coordinator.state.topic.min.isr", "1");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            try (var w = Files.newBufferedWriter(config)) {
                p.store(w, "Ringmaster sandbox: one KRaft node");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jvm = List.of("-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath);
        if (!Files.exists(data.resolve("meta.properties"))) {
            ChildProcess format = ChildProcess.java(
                    "kafka-format",
                    jvm,
                    List.of(
                            "kafka.tools.StorageTool",
                            "format",
                            "--standalone",
                            "-t",
                            Uuid.randomUuid().toString(),
                            "-c",
                            config.toAbsolutePath().toString()),
                    Map.of(),
                    logs);
            try {
                if (!format.process.waitFor(60, TimeUnit.SECONDS) || format.process.exitValue() != 0) {
                    format.close();
                    throw new SandboxException("Kafka's storage could not be formatted; see " + format.log);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted");
            }
        }
        // Kafka's own collector settings (kafka-run-class.sh): on the serial collector the broker's young
        // collections paused 20–240 ms in a 1,000-cluster benchmark run, and every producer and consumer waited
        List<String> brokerJvm = new ArrayList<>(List.of(
                "-Xmx512m",
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35",
                "-XX:+ExplicitGCInvokesConcurrent"));
        brokerJvm.addAll(Sandbox.extraJvmOptions("kafka")); // e.g. -Xlog:gc:file=/tmp/gc-kafka.log
        brokerJvm.addAll(List.of("-cp", classpath));
        ChildProcess kafka = ChildProcess.java(
                "kafka",
                brokerJvm,
                List.of("kafka.Kafka", config.toAbsolutePath().toString()),
                Map.of(),
                logs);
        KafkaBroker broker = new KafkaBroker(kafka, bootstrap);
        try {
            kafka.awaitReady(broker::answers, Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return broker;
    }

    private boolean answers() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    String bootstrapServers() {
        return bootstrap;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
