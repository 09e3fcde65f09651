package dev.ringmaster.infra;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Apache Kafka broker in this JVM: one combined KRaft node (broker and controller), no ZooKeeper, no Docker.
 * Built on Kafka's own test kit, so it is the broker code that runs in production, with its wire protocol.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Partitions of topics created automatically: more than one, so that keying is exercised. */
    public static final int DEFAULT_PARTITIONS = 3;

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts a broker with its data in a temporary folder that is deleted on close. */
    public static EmbeddedKafka start() {
        return start(null);
    }

    /** Starts a broker with its data under {@code baseDirectory} (a temporary folder when null). */
    public static EmbeddedKafka start(Path baseDirectory) {
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1);
            if (baseDirectory != null) {
                nodes.setBaseDirectory(baseDirectory);
            }
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes.build())
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", String.valueOf(DEFAULT_PARTITIONS))
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setDeleteOnClose(baseDirectory == null)
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /** {@code host:port} of the broker's client listener. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates the topics (ignoring those that exist) with the given partition count. */
    public void createTopics(int partitions, Collection<String> topics) {
        try (Admin admin = admin()) {
            List<NewTopic> newTopics = topics.stream()
                    .map(t -> new NewTopic(t, partitions, (short) 1))
                    .collect(Collectors.toList());
            admin.createTopics(newTopics).values().values().forEach(f -> {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic: " + e.getCause().getMessage(), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /** The topics that exist now. */
    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot list topics: " + e.getCause().getMessage(), e);
        }
    }

    private Admin admin() {
        Properties props = new Properties();
        props.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        return Admin.create(props);
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded Kafka broker: " + e.getMessage(), e);
        }
    }
}
