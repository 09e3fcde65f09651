package dev.ringmaster.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringmaster.events.rollout.ServiceOrder;
import dev.ringmaster.events.rollout.ServicePlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceOrderTest {

    private static ServicePlan plan(String name, String... deps) {
        return new ServicePlan(
                name, "https://g/" + name, "main", ".", "helm.values.image.tag", "1", "2", List.of(deps));
    }

    @Test
    void layersPutEveryServiceAfterItsDependencies() {
        assertThat(ServiceOrder.layers(List.of(
                        plan("e", "d"), plan("d", "b", "c"), plan("c", "a"), plan("b", "a"), plan("a"), plan("f"))))
                .containsExactly(List.of("a", "f"), List.of("b", "c"), List.of("d"), List.of("e"));
    }

    @Test
    void aDependencyOutsideTheSnapshotCountsAsMetAndACycleIsRefused() {
        assertThat(ServiceOrder.layers(List.of(plan("x", "elsewhere")))).containsExactly(List.of("x"));
        assertThatThrownBy(() -> ServiceOrder.layers(List.of(plan("a", "b"), plan("b", "a"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
