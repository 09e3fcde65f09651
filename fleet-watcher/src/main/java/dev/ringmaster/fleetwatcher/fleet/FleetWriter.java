package dev.ringmaster.fleetwatcher.fleet;

import dev.ringmaster.events.catalog.ApplicationDeleted;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.catalog.ClusterRegistered;
import dev.ringmaster.events.catalog.ClusterRemoved;
import dev.ringmaster.events.catalog.ClusterRingChanged;
import dev.ringmaster.events.catalog.ServiceCreated;
import dev.ringmaster.events.catalog.ServiceDeleted;
import dev.ringmaster.events.fleet.FleetNames;
import dev.ringmaster.fleetwatcher.config.WatcherConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps Fleet in step with the catalog. A registered cluster's Fleet Cluster carries the application label
 * ({@code app.ringmaster.dev/<app>: "true"}) and the ring label ({@code <ringLabel>: "<n>"}) — so a ring change is a
 * label change, and Fleet re-targets the cluster at once. Each service has a GitRepo {@code <app>-<service>} in the
 * workspace: its repository, branch and path, targeting the application's clusters. Idempotent: every write sets the
 * state the event describes.
 */
@ApplicationScoped
public class FleetWriter {

    private static final Logger LOG = Logger.getLogger(FleetWriter.class);

    private final KubernetesClient client;
    private final String workspace;

    public FleetWriter(KubernetesClient client, WatcherConfig config) {
        this.client = client;
        this.workspace = config.fleet().workspace();
    }

    /** Applies one catalog fact to Fleet; other facts are none of Fleet's business. */
    public void apply(Object fact) {
        if (fact instanceof ClusterRegistered r) {
            label(r.application(), r.cluster(), r.ringLabel());
        } else if (fact instanceof ClusterRingChanged c) {
            label(c.application(), c.cluster(), c.ringLabel());
        } else if (fact instanceof ClusterRemoved r) {
            unlabel(r.application(), r.cluster());
        } else if (fact instanceof ServiceCreated s) {
            gitRepo(s);
        } else if (fact instanceof ServiceDeleted s) {
            deleteGitRepo(s.application(), s.service());
        } else if (fact instanceof ApplicationDeleted d) {
            d.services().forEach(s -> deleteGitRepo(d.application(), s));
            d.clusters().forEach(c -> unlabel(d.application(), c));
        }
    }

    private void label(String application, ClusterRef c, String ringLabel) {
        String key = ringLabel == null || ringLabel.isBlank() ? "ring" : ringLabel;
        edit(c, labels -> {
            labels.put(FleetNames.applicationLabel(application), "true");
            labels.put(key, String.valueOf(c.ring()));
        });
    }

    private void unlabel(String application, ClusterRef c) {
        edit(c, labels -> labels.remove(FleetNames.applicationLabel(application)));
    }

    private void edit(ClusterRef c, java.util.function.Consumer<Map<String, String>> change) {
        var op = client.genericKubernetesResources(FleetApi.CLUSTER)
                .inNamespace(c.fleetNamespace())
                .withName(c.fleetName());
        if (op.get() == null) {
            LOG.warnf("no Fleet Cluster %s/%s (yet): its labels are not set", c.fleetNamespace(), c.fleetName());
            return;
        }
        op.edit(cluster -> {
            Map<String, String> labels = new LinkedHashMap<>();
            if (cluster.getMetadata().getLabels() != null) {
                labels.putAll(cluster.getMetadata().getLabels());
            }
            change.accept(labels);
            cluster.getMetadata().setLabels(labels);
            return cluster;
        });
    }

    private void gitRepo(ServiceCreated s) {
        String name = FleetNames.gitRepoName(s.application(), s.service());
        GenericKubernetesResource repo = new GenericKubernetesResource();
        repo.setApiVersion("fleet.cattle.io/v1alpha1");
        repo.setKind("GitRepo");
        repo.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(workspace)
                .withLabels(Map.of(
                        "app.kubernetes.io/managed-by",
                        "ringmaster",
                        "ringmaster.dev/application",
                        s.application(),
                        "ringmaster.dev/service",
                        s.service()))
                .build());
        repo.setAdditionalProperty(
                "spec",
                Map.of(
                        "repo", s.repoUrl(),
                        "branch", s.branch(),
                        "paths", List.of(s.path()),
                        "targets",
                                List.of(Map.of(
                                        "name",
                                        "application",
                                        "clusterSelector",
                                        Map.of(
                                                "matchLabels",
                                                Map.of(FleetNames.applicationLabel(s.application()), "true"))))));
        var op = client.genericKubernetesResources(FleetApi.GITREPO).inNamespace(workspace);
        if (op.withName(name).get() == null) {
            op.resource(repo).create();
        } else {
            op.withName(name).edit(existing -> {
                existing.setAdditionalProperty(
                        "spec", repo.getAdditionalProperties().get("spec"));
                return existing;
            });
        }
    }

    private void deleteGitRepo(String application, String service) {
        client.genericKubernetesResources(FleetApi.GITREPO)
                .inNamespace(workspace)
                .withName(FleetNames.gitRepoName(application, service))
                .delete();
    }
}
