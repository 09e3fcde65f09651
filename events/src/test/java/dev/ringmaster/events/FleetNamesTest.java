package dev.ringmaster.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.fleet.FleetNames;
import org.junit.jupiter.api.Test;

class FleetNamesTest {

    @Test
    void clusterNamespacesAreThoseFleetComputes() {
        // Both values were computed from Fleet's own code; the first is its docstring's example.
        assertThat(FleetNames.clusterNamespace("fleet-local", "cluster-294db1acfa77"))
                .isEqualTo("cluster-fleet-local-cluster-294db1acfa77-d9ccf852678f");
        assertThat(FleetNames.clusterNamespace("fleet-local", "local"))
                .isEqualTo("cluster-fleet-local-local-1a3d67d0a899");
    }

    @Test
    void longNamesAreCutTo63WithAHash() {
        String ns = FleetNames.clusterNamespace("fleet-default", "a-very-long-cluster-name-from-a-big-fleet-0001");
        assertThat(ns).hasSize(63).startsWith("cluster-fleet-default-a-very-long-cluster-name-from-a-big");
        assertThat(ns).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        // character 56 is a letter: 57 kept, '-', 5 hex digits
        assertThat(FleetNames.safeConcatName("x".repeat(70), "y")).hasSize(63).matches("x{57}-[0-9a-f]{5}");
        // character 56 is '-': 56 kept, '-', 6 hex digits (a name must not end in '-')
        assertThat(FleetNames.safeConcatName("x".repeat(56), "y".repeat(10)))
                .hasSize(63)
                .matches("x{56}-[0-9a-f]{6}");
        assertThat(FleetNames.safeConcatName("x".repeat(30), "y".repeat(32)))
                .isEqualTo("x".repeat(30) + "-" + "y".repeat(32));
        assertThat(FleetNames.keyHash("a".repeat(150))).isEqualTo(FleetNames.keyHash("a".repeat(100)));
    }

    @Test
    void bundleNamesFollowTheGitRepoAndPath() {
        assertThat(FleetNames.bundleName("shop-web", ".")).isEqualTo("shop-web");
        assertThat(FleetNames.bundleName("shop-web", "deploy/fleet")).isEqualTo("shop-web-deploy-fleet");
    }
}
