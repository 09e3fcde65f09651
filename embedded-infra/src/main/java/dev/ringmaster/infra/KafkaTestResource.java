package dev.ringmaster.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker ({@code kafka.bootstrap.servers}). One broker serves every test
 * class of a JVM: it starts with the first class (2–4 s) and stops when the JVM exits. Tests that read topics
 * therefore use names (applications, rollouts) of their own, or read from offsets they noted first.
 *
 * <p>Quarkus loads test resources (and test classes) in a new class loader for each application it starts, so a
 * static field alone would start a broker per test class; the broker's address is kept in a system property, which
 * every class loader of the JVM sees.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static final String PROPERTY = "dev.ringmaster.infra.kafka-bootstrap-servers";

    /** The JVM's shared broker address, starting the broker on first use. */
    public static String bootstrapServers() {
        synchronized (System.class) { // one lock for every class loader of the JVM
            String address = System.getProperty(PROPERTY);
            if (address == null) {
                EmbeddedKafka broker = EmbeddedKafka.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(broker), "embedded-kafka-stop"));
                address = broker.bootstrapServers();
                System.setProperty(PROPERTY, address);
            }
            return address;
        }
    }

    /**
     * Stops the broker as the JVM ends. The JVM's exit code belongs to the test runner: the broker's shutdown must not
     * change it (Kafka exits through {@code Exit}, whose procedures are made no-ops here), nor fail the JVM's exit.
     */
    private static void stopQuietly(EmbeddedKafka broker) {
        org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) -> {});
        org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) -> {});
        try {
            broker.close();
        } catch (Throwable ignored) {
            // the JVM is ending; nothing is left to report it to
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker outlives the test class: the next class reuses it.
    }
}
