package dev.ringmaster.outbox;

import dev.ringmaster.events.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka, oldest first, and deletes what the broker acknowledged.
 *
 * <p>One relay at a time publishes (a PostgreSQL advisory lock held for the batch's transaction), so events leave in
 * outbox order whatever the number of instances of the service. A batch is deleted first and published, and the
 * delete commits only once the broker acknowledged the whole batch. Delivery is at least once: a crash after the
 * broker's acknowledgement and before the delete commits sends those events again with the same ids, which consumers
 * deduplicate. The relay wakes on every commit that appended an event, and polls as a safety net.
 *
 * <p>It uses the Kafka producer directly, not a SmallRye channel: the delete must wait for the broker's
 * acknowledgement of the whole batch inside the batch's database transaction.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private final OutboxConfig config;
    /** The advisory lock of this service's relay: advisory locks are per database, and services may share one. */
    private final long lockKey;

    private final String clientId;
    private final EntityManager em;
    private final String bootstrapServers;
    private final Counter published;
    private final Semaphore wake = new Semaphore(0);

    private volatile boolean running;
    private volatile String lastError;
    private Thread worker;
    private KafkaProducer<String, String> producer;

    public OutboxRelay(
            OutboxConfig config,
            EntityManager em,
            MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.config = config;
        this.lockKey = ("outbox:" + application).hashCode() & 0xffffffffL | 0x6f75000000000000L;
        this.clientId = application + "-outbox";
        this.em = em;
        this.bootstrapServers = bootstrapServers;
        this.published = Counter.builder("ringmaster.outbox.published")
                .description("Events the outbox relay published to Kafka")
                .register(registry);
    }

    void start(@Observes StartupEvent ev) {
        if (!config.relayEnabled()) {
            LOG.info("outbox relay disabled: events stay in the outbox until a relay runs");
            return;
        }
        producer = new KafkaProducer<>(producerProperties());
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        running = false;
        wake.release();
        if (worker != null) {
            worker.join(Duration.ofSeconds(10).toMillis());
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Wakes the relay once a transaction that appended events has committed. */
    void onAppended(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Appended appended) {
        wake.release();
    }

    /** Whether this instance runs a relay (configured on, and its thread alive). */
    public boolean isRunning() {
        return running && worker != null && worker.isAlive();
    }

    /** Whether this instance was configured to relay. */
    public boolean isEnabled() {
        return config.relayEnabled();
    }

    /** The last failure to publish, or null after a success. */
    public String lastError() {
        return lastError;
    }

    /** Events waiting in the outbox. */
    public long pending() {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEvent.count());
    }

    private void run() {
        int failures = 0;
        while (running) {
            long waitMillis = config.pollInterval().toMillis();
            try {
                int sent = drainOnce();
                failures = 0;
                lastError = null;
                if (sent == config.batchSize()) {
                    continue; // more may be waiting
                }
            } catch (Exception e) {
                failures++;
                waitMillis = Math.min(config.maxBackoff().toMillis(), 100L << Math.min(failures, 16));
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warnf(
                        "error publishing the outbox to %s (attempt %d, next in %d ms): %s",
                        bootstrapServers, failures, waitMillis, lastError);
            }
            try {
                wake.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Takes the oldest events out of the outbox, if this relay holds the lock: two round trips to the database per
     * batch (this statement and the commit), where a select, a delete and a lock of their own were four. The rows stay
     * locked, and come back if the broker does not acknowledge them (the transaction rolls back).
     */
    private static final String TAKE = "WITH relay AS (SELECT pg_try_advisory_xact_lock(?) AS ours)"
            + " DELETE FROM outbox WHERE (SELECT ours FROM relay)"
            + " AND id IN (SELECT id FROM outbox ORDER BY id LIMIT ?)"
            + " RETURNING id, topic, message_key, payload";

    /** A row taken out of the outbox. */
    private record Row(long id, String topic, String key, String payload) {}

    /** Publishes one batch; returns how many events it published (0 if another relay holds the lock). */
    int drainOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Row> batch = new ArrayList<>();
            em.unwrap(Session.class).doWork(c -> {
                try (PreparedStatement take = c.prepareStatement(TAKE)) {
                    take.setLong(1, lockKey);
                    take.setInt(2, config.batchSize());
                    try (ResultSet rows = take.executeQuery()) {
                        while (rows.next()) {
                            batch.add(
                                    new Row(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4)));
                        }
                    }
                }
            });
            if (batch.isEmpty()) {
                return 0;
            }
            batch.sort(Comparator.comparingLong(Row::id)); // RETURNING promises no order
            List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
            for (Row row : batch) {
                ProducerRecord<String, String> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
                record.headers()
                        .add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                acks.add(producer.send(record));
            }
            long deadline = System.nanoTime() + config.sendTimeout().toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            published.increment(batch.size());
            return batch.size();
        });
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        int timeout = (int) config.sendTimeout().toMillis();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return p;
    }
}
