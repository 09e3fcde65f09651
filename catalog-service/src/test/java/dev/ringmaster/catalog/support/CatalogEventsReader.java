package dev.ringmaster.catalog.support;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.infra.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads {@code catalog.events} from the real broker, from the beginning, keeping the events of one application (the
 * record key) in the order the broker holds them, decoded.
 */
public final class CatalogEventsReader implements AutoCloseable {

    private final TopicReader reader;
    private final EventCodec codec = new EventCodec();

    public CatalogEventsReader(String bootstrapServers, String application) {
        this.reader = new TopicReader(bootstrapServers, Topics.CATALOG_EVENTS, application::equals);
    }

    /** The application's records read so far. */
    public List<ConsumerRecord<String, String>> records() {
        return reader.records();
    }

    /** The application's events read so far, decoded. */
    public List<CloudEvent> events() {
        return reader.values().stream().map(codec::decode).toList();
    }

    /** The types of the application's events read so far. */
    public List<String> types() {
        return events().stream().map(CloudEvent::type).toList();
    }

    /** Polls until the events read so far satisfy {@code condition} (at most 30 s). */
    public CatalogEventsReader awaitUntil(Predicate<List<CloudEvent>> condition) {
        reader.awaitUntil(records -> condition.test(events()), Duration.ofSeconds(30));
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
        reader.close();
    }
}
