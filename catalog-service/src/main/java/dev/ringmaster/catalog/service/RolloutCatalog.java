package dev.ringmaster.catalog.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ringmaster.catalog.api.ControlRequest;
import dev.ringmaster.catalog.api.RolloutPlanView;
import dev.ringmaster.catalog.api.RolloutRequest;
import dev.ringmaster.catalog.api.RolloutSummary;
import dev.ringmaster.catalog.api.RolloutView;
import dev.ringmaster.catalog.api.VersionMatrixView;
import dev.ringmaster.catalog.domain.Application;
import dev.ringmaster.catalog.domain.CatalogException;
import dev.ringmaster.catalog.domain.Cluster;
import dev.ringmaster.catalog.domain.RingVersion;
import dev.ringmaster.catalog.domain.Rollout;
import dev.ringmaster.catalog.domain.RolloutEvent;
import dev.ringmaster.catalog.domain.Service;
import dev.ringmaster.catalog.domain.Validation;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.rollout.RolloutControl;
import dev.ringmaster.events.rollout.RolloutPolicy;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.ServicePlan;
import dev.ringmaster.outbox.Outbox;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Rollouts as users ask for them: the plan (dry run), the request with its snapshot, pause/resume/abort, the history
 * and the version matrix. The orchestrator does the work; this side sends it RolloutRequested and RolloutControl
 * through the outbox and shows what rollout.events said.
 */
@ApplicationScoped
public class RolloutCatalog {

    static final Duration MIN_DEADLINE = Duration.ofMinutes(1);
    static final Duration MAX_DEADLINE = Duration.ofHours(24);

    private final Outbox outbox;
    private final EventCodec codec;

    public RolloutCatalog(Outbox outbox, EventCodec codec) {
        this.outbox = outbox;
        this.codec = codec;
    }

    /** What a rollout of the ring would do; nothing is stored. */
    @ReadOnly
    @Transactional
    public RolloutPlanView plan(String application, RolloutRequest req) {
        Application app = ApplicationCatalog.find(application);
        return planOf(snapshot(app, req, "dry-run"));
    }

    /** Starts a rollout: stored as PENDING and sent to the orchestrator with a full snapshot. */
    @Transactional
    public RolloutView create(String application, RolloutRequest req) {
        Application app = ApplicationCatalog.lock(application);
        RolloutRequested snapshot = snapshot(app, req, UUID.randomUUID().toString());
        Rollout.active(app, snapshot.ring()).ifPresent(r -> {
            throw new CatalogException.Conflict(
                    "rollout " + r.id + " of " + application + " on ring " + r.ring + " is " + r.phase
                            + "; one rollout per application and ring at a time",
                    Map.of("rollout", r.id, "phase", r.phase));
        });
        Rollout r = new Rollout();
        r.id = snapshot.rolloutId();
        r.application = app;
        r.ring = snapshot.ring();
        r.phase = "PENDING";
        r.requestedBy = snapshot.requestedBy();
        r.requestedAt = snapshot.requestedAt();
        r.updatedAt = r.requestedAt;
        r.request = json(snapshot);
        r.persistAndFlush();
        outbox.append(r.id, r.id, snapshot);
        return RolloutViews.view(r, snapshot, List.of());
    }

    @ReadOnly
    @Transactional
    public RolloutView get(String id) {
        Rollout r = find(id);
        return RolloutViews.view(r, request(r), RolloutEvent.timeline(id));
    }

    /** The history, newest first: optionally one application, ring, phase. */
    @ReadOnly
    @Transactional
    public List<RolloutSummary> list(String application, Integer ring, String phase, int page, int size) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (application != null) {
            q.append(" and application.name = :app");
            p.and("app", application);
        }
        if (ring != null) {
            q.append(" and ring = :ring");
            p.and("ring", ring);
        }
        if (phase != null) {
            q.append(" and phase = :phase");
            p.and("phase", phase);
        }
        q.append(" order by requestedAt desc, id");
        return Rollout.<Rollout>find(q.toString(), p).page(Page.of(page, size)).list().stream()
                .map(r -> new RolloutSummary(
                        r.id, r.application.name, r.ring, r.phase, r.reason, r.requestedBy, r.requestedAt, r.updatedAt))
                .toList();
    }

    /** Asks the orchestrator to pause, resume or abort; refused once the rollout is over. */
    @Transactional
    public RolloutView control(String id, RolloutControl.Action action, ControlRequest req) {
        Rollout r = Rollout.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            throw new CatalogException.NotFound("rollout", id);
        }
        if (r.isTerminal()) {
            throw new CatalogException.Conflict(
                    "rollout " + id + " is " + r.phase + ": it can no longer be " + past(action),
                    Map.of("rollout", id, "phase", r.phase));
        }
        String reason = req == null ? "" : Objects.requireNonNullElse(req.reason(), "");
        String by = req == null ? "" : Objects.requireNonNullElse(req.requestedBy(), "");
        Validation v = new Validation();
        v.text("reason", reason, 1024).text("requestedBy", by, 255);
        v.throwIfInvalid();
        outbox.append(id, id, new RolloutControl(id, action, reason, by));
        return RolloutViews.view(r, request(r), RolloutEvent.timeline(id));
    }

    /** Which version each ring runs, per service. */
    @ReadOnly
    @Transactional
    public VersionMatrixView versions(String application) {
        Application app = ApplicationCatalog.find(application);
        List<Service> services = Service.listByApplication(app);
        Map<Long, Map<Integer, String>> byService = new HashMap<>();
        TreeSet<Integer> rings = new TreeSet<>();
        Cluster.listByApplication(app, null).forEach(c -> rings.add(c.ring));
        for (RingVersion rv :
                RingVersion.ofServices(services.stream().map(s -> s.id).toList())) {
            byService.computeIfAbsent(rv.id.serviceId(), k -> new TreeMap<>()).put(rv.id.ring(), rv.version);
            rings.add(rv.id.ring());
        }
        List<VersionMatrixView.Row> rows = new ArrayList<>();
        for (Service s : services) {
            Map<Integer, String> perRing = new TreeMap<>();
            for (int ring : rings) {
                perRing.put(ring, byService.getOrDefault(s.id, Map.of()).getOrDefault(ring, s.currentVersion));
            }
            rows.add(new VersionMatrixView.Row(s.name, s.currentVersion, s.plannedVersion, perRing));
        }
        return new VersionMatrixView(application, List.copyOf(rings), rows);
    }

    // ---- the snapshot

    private RolloutRequested snapshot(Application app, RolloutRequest req, String rolloutId) {
        RolloutPolicy policy = policy(req.policy());
        Validation v = new Validation();
        v.ring("ring", req.ring()).text("requestedBy", req.requestedBy(), 255);
        v.throwIfInvalid();
        int ring = req.ring();
        List<Service> services = Service.listByApplication(app);
        Map<Long, String> ringVersions = new HashMap<>();
        RingVersion.ofServices(services.stream().map(s -> s.id).toList()).stream()
                .filter(rv -> rv.id.ring() == ring)
                .forEach(rv -> ringVersions.put(rv.id.serviceId(), rv.version));
        List<ServicePlan> plans = services.stream()
                .map(s -> new ServicePlan(
                        s.name,
                        s.repoUrl,
                        s.branch,
                        s.path,
                        s.versionPath,
                        ringVersions.getOrDefault(s.id, s.currentVersion),
                        s.plannedVersion,
                        s.dependencyNames()))
                .toList();
        if (plans.stream().allMatch(p -> p.toVersion() == null || p.toVersion().equals(p.fromVersion()))) {
            throw new CatalogException.Invalid(
                    "nothing to roll out on ring " + ring + ": no service of " + app.name
                            + " has a planned version that ring does not run yet",
                    Map.of("ring", ring));
        }
        List<Cluster> clusters = Cluster.listByApplication(app, ring);
        if (clusters.isEmpty()) {
            throw new CatalogException.Invalid(
                    "ring " + ring + " of " + app.name + " has no clusters", Map.of("ring", ring));
        }
        return new RolloutRequested(
                rolloutId,
                app.name,
                ring,
                ApplicationCatalog.now(),
                Objects.requireNonNullElse(req.requestedBy(), ""),
                app.ringLabel,
                app.customizationPattern,
                policy,
                plans,
                clusters.stream().map(Views::ref).toList());
    }

    private static RolloutPolicy policy(RolloutRequest.Policy p) {
        if (p == null) {
            return RolloutPolicy.DEFAULT;
        }
        Duration deadline = Objects.requireNonNullElse(p.clusterDeadline(), RolloutPolicy.DEFAULT.clusterDeadline());
        int tolerated = Objects.requireNonNullElse(p.toleratedFailures(), 0);
        String onFailure = Objects.requireNonNullElse(p.onFailure(), "PAUSE");
        Validation v = new Validation();
        if (deadline.compareTo(MIN_DEADLINE) < 0 || deadline.compareTo(MAX_DEADLINE) > 0) {
            v.add("policy.clusterDeadline", "must be between PT1M and PT24H");
        }
        if (tolerated < 0) {
            v.add("policy.toleratedFailures", "must not be negative");
        }
        if (!onFailure.equals("PAUSE") && !onFailure.equals("FAIL")) {
            v.add("policy.onFailure", "must be PAUSE or FAIL");
        }
        v.throwIfInvalid();
        return new RolloutPolicy(deadline, tolerated, RolloutPolicy.OnFailure.valueOf(onFailure));
    }

    static RolloutPlanView planOf(RolloutRequested s) {
        return RolloutViews.plan(s);
    }

    private Rollout find(String id) {
        Rollout r = Rollout.findById(id);
        if (r == null) {
            throw new CatalogException.NotFound("rollout", id);
        }
        return r;
    }

    private RolloutRequested request(Rollout r) {
        try {
            return codec.mapper().readValue(r.request, RolloutRequested.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored request of rollout " + r.id + " is unreadable", e);
        }
    }

    private String json(Object o) {
        try {
            return codec.mapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String past(RolloutControl.Action a) {
        return switch (a) {
            case PAUSE -> "paused";
            case RESUME -> "resumed";
            case ABORT -> "aborted";
        };
    }
}
