package dev.ringmaster.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    /** A; B,C depend on A; D on B and C; E on D; F independent: the application of the rollout issue. */
    private static final DependencyGraph SIX = new DependencyGraph(Map.of(
            "a", List.of(),
            "b", List.of("a"),
            "c", List.of("a"),
            "d", List.of("b", "c"),
            "e", List.of("d"),
            "f", List.of()));

    @Test
    void layersPutEveryServiceAfterAllItDependsOn() {
        assertThat(SIX.layers()).containsExactly(List.of("a", "f"), List.of("b", "c"), List.of("d"), List.of("e"));
        assertThat(SIX.findCycle()).isEmpty();
    }

    @Test
    void emptyGraphHasNoLayers() {
        assertThat(new DependencyGraph(Map.of()).layers()).isEmpty();
    }

    @Test
    void aThreeCycleIsReportedAsItsPath() {
        DependencyGraph g = new DependencyGraph(Map.of("a", List.of("b"), "b", List.of("c"), "c", List.of("a")));
        assertThat(g.findCycle()).contains(List.of("a", "b", "c", "a"));
        assertThatThrownBy(g::layers).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCycleBehindAnAcyclicPartIsFoundWithoutItsTail() {
        DependencyGraph g = SIX.with("a", List.of("e"));
        assertThat(g.findCycle()).contains(List.of("a", "e", "d", "b", "a"));
    }

    @Test
    void aSelfDependencyIsACycle() {
        assertThat(SIX.with("f", List.of("f")).findCycle()).contains(List.of("f", "f"));
    }

    @Test
    void dependentsAndUnknownDependencies() {
        assertThat(SIX.dependents("a")).containsExactly("b", "c");
        assertThat(SIX.dependents("e")).isEmpty();
        assertThat(SIX.with("g", List.of("a", "x", "y")).unknownDependencies())
                .isEqualTo(Map.of("g", java.util.Set.of("x", "y")));
        assertThat(SIX.unknownDependencies()).isEmpty();
    }

    @Test
    void aDiamondIsNotACycle() {
        DependencyGraph g = new DependencyGraph(
                Map.of("top", List.of("l", "r"), "l", List.of("base"), "r", List.of("base"), "base", List.of()));
        assertThat(g.findCycle()).isEmpty();
        assertThat(g.layers()).containsExactly(List.of("base"), List.of("l", "r"), List.of("top"));
    }
}
