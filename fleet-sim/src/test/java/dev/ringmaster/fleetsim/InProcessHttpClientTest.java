package dev.ringmaster.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process client is the same API server as the HTTP one: what it writes, an HTTP client reads and an HTTP
 * watcher is told; the server's refusals (404, 409) come back as fabric8 reports them over HTTP.
 */
class InProcessHttpClientTest {

    private KubernetesMockServer server;
    private KubernetesClient http;
    private KubernetesClient inProcess;

    @BeforeEach
    void start() {
        IndexedCrudDispatcher dispatcher = new IndexedCrudDispatcher(FleetSimulator.loadCrds().stream()
                .map(CustomResourceDefinitionContext::fromCrd)
                .toList());
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        http = server.createClient();
        inProcess = server.createClient(new InProcessHttpClient.Factory(dispatcher));
        for (var crd : FleetSimulator.loadCrds()) {
            inProcess
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .create();
        }
        inProcess
                .namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("ns-a")
                        .endMetadata()
                        .build())
                .create();
    }

    @AfterEach
    void stop() {
        inProcess.close();
        http.close();
        server.destroy();
    }

    private static GenericKubernetesResource bd(String name, String deploymentId) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("fleet.cattle.io/v1alpha1");
        r.setKind("BundleDeployment");
        r.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("ns-a")
                .withLabels(Map.of("fleet.cattle.io/repo-name", "web"))
                .build());
        r.setAdditionalProperty("spec", Map.of("deploymentID", deploymentId));
        return r;
    }

    @Test
    void whatItWritesAnHttpClientReadsAndAnHttpWatcherIsTold() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Watch w = http.genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                .inNamespace("ns-a")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource r) {
                        seen.add(action + " " + r.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                })) {
            var ops = inProcess
                    .genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                    .inNamespace("ns-a");
            // watch() can return before the server registered the watch (a CI run missed the ADDED event):
            // a first object, seen, says it is live
            ops.resource(bd("probe-0", "s-0:a")).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("ADDED probe-0"));
            seen.clear();
            GenericKubernetesResource created =
                    ops.resource(bd("web-0", "s-1:a")).create();
            assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
            created.setAdditionalProperty("status", Map.of("appliedDeploymentID", "s-1:a", "ready", true));
            GenericKubernetesResource withStatus = ops.resource(created).updateStatus();

            GenericKubernetesResource read = http.genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                    .inNamespace("ns-a")
                    .withName("web-0")
                    .get();
            assertThat(read.getMetadata().getResourceVersion())
                    .isEqualTo(withStatus.getMetadata().getResourceVersion());
            assertThat(read.getAdditionalProperties().get("status"))
                    .isEqualTo(Map.of("appliedDeploymentID", "s-1:a", "ready", true));
            assertThat(ops.withLabel("fleet.cattle.io/repo-name", "web").list().getItems())
                    .hasSize(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
            assertThat(seen).containsExactly("ADDED web-0", "MODIFIED web-0");
        }
    }

    @Test
    void refusalsComeBackAsOverHttp() {
        var ops = inProcess
                .genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                .inNamespace("ns-a");
        assertThat(ops.withName("missing").get()).isNull();
        GenericKubernetesResource created = ops.resource(bd("web-0", "s-1:a")).create();
        created.setAdditionalProperty("spec", Map.of("deploymentID", "s-1:b"));
        ops.resource(created).update();
        created.setAdditionalProperty("spec", Map.of("deploymentID", "s-1:c"));
        assertThatThrownBy(() -> ops.resource(created).update()) // its resourceVersion is now stale
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
        assertThatThrownBy(() -> ops.resource(bd("web-0", "s-1:d")).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
        var socket = inProcess
                .getHttpClient()
                .newWebSocketBuilder()
                .uri(java.net.URI.create(server.url("/apis/fleet.cattle.io/v1alpha1/bundledeployments?watch=true")))
                .buildAsync(new io.fabric8.kubernetes.client.http.WebSocket.Listener() {});
        assertThat(socket)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .withMessageContaining("does not open WebSockets");
    }
}
