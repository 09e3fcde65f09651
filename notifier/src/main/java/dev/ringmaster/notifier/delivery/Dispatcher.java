package dev.ringmaster.notifier.delivery;

import dev.ringmaster.notifier.config.NotifierConfig;
import dev.ringmaster.notifier.delivery.DeliveryStore.Claimed;
import dev.ringmaster.notifier.delivery.DeliveryStore.Head;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Takes due deliveries from the queue and starts their attempts, one thread, never waiting on a target: a rollout's
 * deliveries to one subscription go one at a time and in order (only the head of each line is due), and a
 * subscription has at most {@code per-target-concurrency} attempts in flight, so a slow or dead target holds only its
 * own lines. Woken by new deliveries and finished attempts; otherwise it looks again when the next retry is due (or
 * after the poll interval). Deliveries leased by an instance that died are due again once their lease runs out.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final int BATCH = 500;
    private static final Duration LEASE_CHECK = Duration.ofSeconds(1);

    private final DeliveryStore store;
    private final Sender sender;
    private final int perTarget;
    private final Duration pollInterval;
    private final Semaphore wake = new Semaphore(0);
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final Set<String> busyLines = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread thread;

    public Dispatcher(DeliveryStore store, Sender sender, NotifierConfig config) {
        this.store = store;
        this.sender = sender;
        this.perTarget = config.delivery().perTargetConcurrency();
        this.pollInterval = config.delivery().pollInterval();
    }

    void start(@Observes StartupEvent ignored) {
        running = true;
        thread = new Thread(this::loop, "notifier-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Something changed: look at the queue now. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void loop() {
        Instant lastLeaseCheck = Instant.EPOCH;
        while (running) {
            try {
                if (Instant.now().isAfter(lastLeaseCheck.plus(LEASE_CHECK))) {
                    int released = store.releaseExpiredLeases();
                    if (released > 0) {
                        LOG.infof("%d deliveries whose attempt was cut short are due again", released);
                    }
                    lastLeaseCheck = Instant.now();
                }
                dispatch(store.dueHeads(BATCH));
                waitForWork();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("dispatching deliveries failed (tried again shortly): %s", e.getMessage());
                try {
                    wake.tryAcquire(1, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void dispatch(List<Head> heads) {
        for (Head h : heads) {
            String line = h.subscription() + '\u0000' + h.orderingKey();
            if (busyLines.contains(line) || inFlight.getOrDefault(h.subscription(), 0) >= perTarget) {
                continue;
            }
            Optional<Claimed> claimed = store.claim(h.id(), sender.leaseMillis());
            if (claimed.isEmpty()) {
                continue;
            }
            busyLines.add(line);
            inFlight.merge(h.subscription(), 1, Integer::sum);
            sender.send(claimed.get()).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warnf(
                            "attempt of event %s ended badly: %s", claimed.get().eventId(), e.toString());
                }
                inFlight.merge(h.subscription(), -1, (a, b) -> a + b == 0 ? null : a + b);
                busyLines.remove(line);
                wake();
            });
        }
    }

    private void waitForWork() throws InterruptedException {
        long waitMillis = pollInterval.toMillis();
        Optional<Instant> next = store.nextDue();
        if (next.isPresent()) {
            waitMillis = Math.max(
                    0,
                    Math.min(
                            waitMillis,
                            Duration.between(Instant.now(), next.get()).toMillis()));
        }
        if (waitMillis > 0) {
            wake.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        }
        wake.drainPermits();
    }
}
