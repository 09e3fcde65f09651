package dev.ringmaster.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The indexed store behaves as fabric8's CRUD server does (it runs fabric8's own handlers) and narrows each request to
 * the objects it can match. Pins what {@link IndexedCrudDispatcher} relies on in fabric8's internals.
 */
class IndexedCrudDispatcherTest {

    private static final String BD = "bundledeployments";
    private IndexedCrudDispatcher dispatcher;
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        dispatcher = new IndexedCrudDispatcher(FleetSimulator.loadCrds().stream()
                .map(CustomResourceDefinitionContext::fromCrd)
                .toList());
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        for (var crd : FleetSimulator.loadCrds()) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .create();
        }
        for (String ns : List.of("ns-a", "ns-b")) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .create();
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private GenericKubernetesResource bd(String ns, String name, Map<String, String> labels) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("fleet.cattle.io/v1alpha1");
        r.setKind("BundleDeployment");
        r.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(ns)
                .withLabels(labels)
                .build());
        r.setAdditionalProperty("spec", Map.of("deploymentID", "d1"));
        return client.genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                .inNamespace(ns)
                .resource(r)
                .create();
    }

    private List<String> names(List<GenericKubernetesResource> items) {
        return items.stream()
                .map(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName())
                .toList();
    }

    @Test
    void readsListsAndSelectorsAnswerAsTheStockServer() {
        bd("ns-b", "web", Map.of("app", "web"));
        bd("ns-a", "web", Map.of("app", "web"));
        bd("ns-a", "api", Map.of("app", "api"));
        var bds = client.genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT);

        assertThat(bds.inNamespace("ns-a").withName("web").get().getMetadata().getLabels())
                .containsEntry("app", "web");
        assertThat(bds.inNamespace("ns-a").withName("nope").get()).isNull();
        assertThat(names(bds.inNamespace("ns-a").list().getItems())).containsExactly("ns-a/api", "ns-a/web");
        assertThat(names(bds.inAnyNamespace().list().getItems())).containsExactly("ns-a/api", "ns-a/web", "ns-b/web");
        assertThat(names(bds.inAnyNamespace().withLabel("app", "web").list().getItems()))
                .containsExactly("ns-a/web", "ns-b/web");
        assertThat(names(bds.inAnyNamespace().withoutLabel("app", "web").list().getItems()))
                .containsExactly("ns-a/api");
        assertThat(client.namespaces().withName("ns-b").get()).isNotNull();
        assertThat(client.namespaces().list().getItems()).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void writesKeepTheIndexInStepWithLabelsStatusAndFinalizers() {
        bd("ns-a", "web", Map.of("app", "web"));
        var one = client.genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                .inNamespace("ns-a")
                .withName("web");
        assertThatThrownBy(() -> bd("ns-a", "web", Map.of()))
                .isInstanceOf(KubernetesClientException.class)
                .extracting(e -> ((KubernetesClientException) e).getCode())
                .isEqualTo(409);

        one.edit(r -> {
            r.getMetadata().setLabels(Map.of("app", "web2"));
            r.getMetadata().setFinalizers(List.of("fleet.cattle.io/bundle-deployment-finalizer"));
            return r;
        });
        var bds = client.genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                .inAnyNamespace();
        assertThat(bds.withLabel("app", "web").list().getItems()).isEmpty();
        assertThat(names(bds.withLabel("app", "web2").list().getItems())).containsExactly("ns-a/web");

        one.editStatus(r -> {
            r.setAdditionalProperty("status", Map.of("ready", true));
            return r;
        });
        assertThat(one.get().getAdditionalProperties().get("status")).isEqualTo(Map.of("ready", true));

        one.delete(); // held by its finalizer
        assertThat(one.get().getMetadata().getDeletionTimestamp()).isNotNull();
        one.edit(r -> {
            r.getMetadata().setFinalizers(List.of());
            return r;
        });
        await().until(() -> one.get() == null);
        assertThat(bds.list().getItems()).isEmpty();
        assertThat(dispatcher.size()).isPositive(); // the CRDs and namespaces are still there
    }

    @Test
    void informersSeeEveryChange() {
        List<String> seen = new CopyOnWriteArrayList<>();
        SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(
                        FleetSimulator.BUNDLE_DEPLOYMENT)
                .inAnyNamespace()
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource r) {
                        seen.add("add " + r.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource o, GenericKubernetesResource n) {
                        seen.add("update " + n.getMetadata().getName());
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource r, boolean unknown) {
                        seen.add("delete " + r.getMetadata().getName());
                    }
                });
        try {
            bd("ns-a", "web", Map.of("app", "web"));
            client.genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                    .inNamespace("ns-a")
                    .withName("web")
                    .edit(r -> {
                        r.getMetadata().setLabels(Map.of("app", "other"));
                        return r;
                    });
            client.genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                    .inNamespace("ns-a")
                    .withName("web")
                    .delete();
            await().until(() -> seen.contains("delete web"));
            assertThat(seen).containsExactly("add web", "update web", "delete web");
        } finally {
            informer.close();
        }
    }

    @Test
    void aRequestSeesOnlyTheObjectsOfItsResourceNamespaceAndName() {
        var index = new IndexedCrudDispatcher.Index();
        for (int i = 0; i < 1_000; i++) {
            index.put(
                    new AttributeSet(
                            new Attribute("plural", BD),
                            new Attribute("namespace", "ns-" + (i % 100)),
                            new Attribute("name", "b" + (i / 100))),
                    "{}");
        }
        index.put(new AttributeSet(new Attribute("plural", "namespaces"), new Attribute("name", "ns-1")), "{}");

        AttributeSet one = new AttributeSet(
                new Attribute("plural", BD), new Attribute("namespace", "ns-7"), new Attribute("name", "b3"));
        AttributeSet namespace = new AttributeSet(new Attribute("plural", BD), new Attribute("namespace", "ns-7"));
        AttributeSet resource = new AttributeSet(new Attribute("plural", BD));
        AttributeSet anything = new AttributeSet(new Attribute("name", "b3"));

        assertThat(index.narrowedTo(one, () -> index.entrySet().size())).isEqualTo(1);
        assertThat(index.narrowedTo(namespace, () -> index.entrySet().size())).isEqualTo(10);
        assertThat(index.narrowedTo(resource, () -> index.entrySet().size())).isEqualTo(1_000);
        assertThat(index.narrowedTo(anything, () -> index.entrySet().size())).isEqualTo(1_001); // no resource: all
        assertThat(index.entrySet()).hasSize(1_001); // outside a request: all

        index.remove(one);
        assertThat(index.narrowedTo(one, () -> index.entrySet().size())).isZero();
        assertThat(index.narrowedTo(namespace, () -> index.entrySet().size())).isEqualTo(9);
    }
}
