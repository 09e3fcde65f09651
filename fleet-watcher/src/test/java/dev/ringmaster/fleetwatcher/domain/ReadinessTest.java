package dev.ringmaster.fleetwatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.fleetwatcher.domain.Readiness.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadinessTest {

    private static final String X = "1111111111111111111111111111111111111111";
    private static final String Y = "2222222222222222222222222222222222222222"; // a descendant of X
    private static final String OLD = "0000000000000000000000000000000000000000";

    private static Map<String, Object> spec(String deploymentId, String staged, boolean paused) {
        Map<String, Object> s = new HashMap<>();
        s.put("deploymentID", deploymentId);
        s.put("stagedDeploymentID", staged);
        if (paused) {
            s.put("paused", true);
        }
        return s;
    }

    private static Map<String, Object> status(
            String applied, Boolean ready, Boolean nonModified, Map<String, Object> condition) {
        Map<String, Object> s = new HashMap<>();
        if (applied != null) {
            s.put("appliedDeploymentID", applied);
        }
        if (ready != null) {
            s.put("ready", ready);
        }
        if (nonModified != null) {
            s.put("nonModified", nonModified);
        }
        if (condition != null) {
            s.put("conditions", List.of(condition));
        }
        return s;
    }

    static Stream<Arguments> cases() {
        var deployedFalse = Map.<String, Object>of("type", "Deployed", "status", "False", "message", "helm failed");
        var notReady = Map.<String, Object>of("type", "Ready", "status", "False", "message", "not ready: pods");
        return Stream.of(
                Arguments.of(
                        "ready on the commit",
                        X,
                        spec("d1", "d1", false),
                        status("d1", true, true, null),
                        Verdict.READY),
                Arguments.of(
                        "ready on a descendant",
                        Y,
                        spec("d1", "d1", false),
                        status("d1", true, true, null),
                        Verdict.READY),
                Arguments.of(
                        "still the old commit",
                        OLD,
                        spec("d1", "d1", false),
                        status("d1", true, true, null),
                        Verdict.WAITING),
                Arguments.of(
                        "not applied yet", X, spec("d2", "d2", false), status("d1", true, true, null), Verdict.WAITING),
                Arguments.of(
                        "helm failed",
                        X,
                        spec("d2", "d2", false),
                        status("d1", true, true, deployedFalse),
                        Verdict.ERR_APPLIED),
                Arguments.of(
                        "held back (OutOfSync)",
                        X,
                        spec("d1", "d2", false),
                        status("d1", true, true, null),
                        Verdict.WAITING),
                Arguments.of("paused", X, spec("d1", "d1", true), status("d1", true, true, null), Verdict.WAITING),
                Arguments.of(
                        "applied, not ready",
                        X,
                        spec("d1", "d1", false),
                        status("d1", false, true, notReady),
                        Verdict.NOT_READY),
                Arguments.of("drifted", X, spec("d1", "d1", false), status("d1", true, false, null), Verdict.MODIFIED),
                Arguments.of("no status at all", X, spec("d1", "d1", false), null, Verdict.WAITING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judge(String name, String label, Map<String, Object> spec, Map<String, Object> status, Verdict expected) {
        var result = Readiness.judge(
                Map.of("fleet.cattle.io/commit", label), spec, status, X, (candidate, ancestor) -> candidate.equals(Y));
        assertThat(result.verdict()).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void failuresCarryFleetsMessageAndNoBundleDeploymentIsWaiting() {
        var err = Readiness.judge(
                Map.of("fleet.cattle.io/commit", X),
                spec("d2", "d2", false),
                status("d1", true, true, Map.of("type", "Deployed", "status", "False", "message", "helm failed")),
                X,
                (a, b) -> false);
        assertThat(err.message()).isEqualTo("helm failed");
        assertThat(err.reportedAt()).as("no time on the condition").isNull();
        var dated = Readiness.judge(
                Map.of("fleet.cattle.io/commit", X),
                spec("d2", "d2", false),
                status(
                        "d1",
                        true,
                        true,
                        Map.of(
                                "type",
                                "Deployed",
                                "status",
                                "False",
                                "message",
                                "helm failed",
                                "lastUpdateTime",
                                "2026-11-29T10:00:00Z")),
                X,
                (a, b) -> false);
        assertThat(dated.reportedAt()).isEqualTo(java.time.OffsetDateTime.parse("2026-11-29T10:00:00Z"));
        assertThat(Readiness.judge(null, null, null, X, (a, b) -> false).verdict())
                .isEqualTo(Verdict.WAITING);
    }
}
