package dev.ringmaster.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The reference for the orchestrator's part of a hand-off: a plain consumer in the driver reads a topic while the
 * rollout runs and notes when each record reached it. Producer, broker and one consumer's fetch — what any reader
 * of the topic waits on the same loaded machine — separated from what the orchestrator adds after its own fetch
 * (SmallRye's queue and event loop, the merger, the transaction).
 */
final class BrokerProbe implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final Map<Long, Long> receivedAt = new HashMap<>(); // record -> epoch ms it reached the probe
    private final List<Double> ages = new ArrayList<>(); // ms from the producer's timestamp to the probe
    private volatile RuntimeException failed;

    BrokerProbe(String bootstrap, String topic) {
        consumer = Clients.consumer(bootstrap, 5000);
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // from now on, before the rollout is requested
        thread = new Thread(this::run, "broker-probe-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    long now = System.currentTimeMillis();
                    synchronized (this) {
                        receivedAt.put(key(r.partition(), r.offset()), now);
                        ages.add((double) (now - r.timestamp()));
                    }
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            failed = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    static long key(int partition, long offset) {
        return ((long) partition << 40) | offset;
    }

    /** When the record reached the probe (epoch ms), or null if it did not. */
    synchronized Long receivedAt(int partition, long offset) {
        return receivedAt.get(key(partition, offset));
    }

    /** Producer's timestamp -> the probe, over every record it read. */
    synchronized Stats ages() {
        if (failed != null) {
            throw new IllegalStateException("the broker probe failed", failed);
        }
        return Stats.of(ages);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
    }
}
