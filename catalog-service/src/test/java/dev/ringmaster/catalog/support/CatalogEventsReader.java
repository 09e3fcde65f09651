package dev.ringmaster.catalog.support;

import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code catalog.events} from the real broker, from the beginning, keeping the events of one application (the
 * record key) in the order the broker holds them.
 */
public final class CatalogEventsReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final String application;
    private final EventCodec codec = new EventCodec();
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    public CatalogEventsReader(String bootstrapServers, String application) {
        this.application = application;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class));
        consumer.subscribe(List.of(Topics.CATALOG_EVENTS));
    }

    /** The application's records read so far. */
    public List<ConsumerRecord<String, String>> records() {
        return List.copyOf(records);
    }

    /** The application's events read so far, decoded. */
    public List<CloudEvent> events() {
        return records.stream().map(r -> codec.decode(r.value())).toList();
    }

    /** The types of the application's events read so far. */
    public List<String> types() {
        return events().stream().map(CloudEvent::type).toList();
    }

    /** Polls until the events read so far satisfy {@code condition} (at most 30 s). */
    public CatalogEventsReader awaitUntil(Predicate<List<CloudEvent>> condition) {
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                if (application.equals(r.key())) {
                    records.add(r);
                }
            }
            return condition.test(events());
        });
        return this;
    }

    /** Polls until at least {@code n} events of the application were read. */
    public CatalogEventsReader awaitCount(int n) {
        return awaitUntil(events -> events.size() >= n);
    }

    /** The payload of an event as a record of the events module. */
    public <T> T payload(CloudEvent event, Class<T> type) {
        return codec.payload(event, type);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
