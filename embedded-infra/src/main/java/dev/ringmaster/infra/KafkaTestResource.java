package dev.ringmaster.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker ({@code kafka.bootstrap.servers}). One broker serves every test
 * class of a JVM: it starts with the first class (2–4 s) and stops when the JVM exits. Tests that read topics
 * therefore use names (applications, rollouts) of their own, or read from offsets they noted first.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafka broker;

    /** The JVM's shared broker, started on first use. */
    public static synchronized EmbeddedKafka broker() {
        if (broker == null) {
            broker = EmbeddedKafka.start();
            EmbeddedKafka started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-kafka-stop"));
        }
        return broker;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", broker().bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker outlives the test class: the next class reuses it.
    }
}
