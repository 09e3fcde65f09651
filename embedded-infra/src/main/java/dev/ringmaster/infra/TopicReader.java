package dev.ringmaster.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads a topic of the real broker from its beginning, for tests: every record (optionally only those whose key
 * passes a filter), in the order the broker holds them per partition.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Predicate<String> keyFilter;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic, Predicate<String> keyFilter) {
        this.keyFilter = keyFilter;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class));
        consumer.subscribe(List.of(topic));
    }

    public TopicReader(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, k -> true);
    }

    /** The records read so far. */
    public List<ConsumerRecord<String, String>> records() {
        return List.copyOf(records);
    }

    /** The values read so far. */
    public List<String> values() {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    /** Polls until the records read so far satisfy {@code condition}; fails after {@code timeout}. */
    public TopicReader awaitUntil(Predicate<List<ConsumerRecord<String, String>>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "condition not met within " + timeout + "; read " + records.size() + " records: " + values());
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                if (keyFilter.test(r.key())) {
                    records.add(r);
                }
            }
        }
        return this;
    }

    /**
     * Polls until this reader has read everything the topic holds now (its position reached the end offsets taken at
     * the call). Use once the producer is known to be done, e.g. its outbox is empty.
     */
    public TopicReader awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.assignment().isEmpty()) {
            poll(deadline, timeout);
        }
        Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            poll(deadline, timeout);
        }
        return this;
    }

    private void poll(long deadline, Duration timeout) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError("not caught up within " + timeout);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
            if (keyFilter.test(r.key())) {
                records.add(r);
            }
        }
    }

    /** Polls until at least {@code n} records were read (at most 60 s). */
    public TopicReader awaitCount(int n) {
        return awaitUntil(r -> r.size() >= n, Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** Sends records (key, value) to a topic and waits for the broker's acknowledgement of each. */
    public static void send(String bootstrapServers, String topic, List<Map.Entry<String, String>> records) {
        send(bootstrapServers, topic, records, false);
    }

    /**
     * Sends structured-mode CloudEvents as Ringmaster's producers do: with the header {@code content-type:
     * application/cloudevents+json; charset=UTF-8} (which a consumer must not let its framework unwrap).
     */
    public static void sendStructured(String bootstrapServers, String topic, List<Map.Entry<String, String>> records) {
        send(bootstrapServers, topic, records, true);
    }

    private static void send(
            String bootstrapServers, String topic, List<Map.Entry<String, String>> records, boolean cloudEvents) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.ACKS_CONFIG,
                "all"))) {
            var acks = records.stream()
                    .map(r -> {
                        ProducerRecord<String, String> record = new ProducerRecord<>(topic, r.getKey(), r.getValue());
                        if (cloudEvents) {
                            record.headers()
                                    .add(
                                            "content-type",
                                            "application/cloudevents+json; charset=UTF-8"
                                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        }
                        return producer.send(record);
                    })
                    .toList();
            for (var ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "cannot send to " + topic + ": " + e.getCause().getMessage(), e);
        }
    }
}
