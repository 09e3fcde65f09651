package dev.ringmaster.orchestrator.domain;

import static dev.ringmaster.orchestrator.Fixtures.cluster;
import static dev.ringmaster.orchestrator.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.fleet.ClusterFailed;
import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.fleet.ClusterTimedOut;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.CommitFailed;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.events.rollout.RolloutControl;
import dev.ringmaster.events.rollout.RolloutControl.Action;
import dev.ringmaster.events.rollout.RolloutPolicy;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rollout state machine, pure. The application: {@code a}; {@code b} depends on {@code a}; {@code c} depends on
 * {@code a} and has nothing to do (plan = current). Ring 0 has clusters c1, c2, c3.
 */
class RolloutMachineTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final String ID = "r1";

    private final RolloutMachine machine = new RolloutMachine(Clock.fixed(NOW, ZoneOffset.UTC));

    static RolloutRequested request(RolloutPolicy policy) {
        return new RolloutRequested(
                ID,
                "shop",
                0,
                OffsetDateTime.parse("2026-11-29T09:59:00Z"),
                "alice",
                "ring",
                "ring-{n}",
                policy,
                List.of(plan("b", "1.0", "2.0", "a"), plan("a", "1.0", "2.0"), plan("c", "3.0", "3.0", "a")),
                List.of(cluster("c1"), cluster("c2"), cluster("c3")));
    }

    // ---- inputs, named

    static VersionCommitted committed(String service, int attempt) {
        return new VersionCommitted(
                ID + ":" + service + ":" + attempt,
                ID,
                "shop",
                service,
                0,
                "https://git.example.com/" + service + ".git",
                "2.0",
                "sha-" + service,
                true);
    }

    static CommitFailed commitFailed(String service, boolean retryable) {
        return new CommitFailed(
                ID + ":" + service + ":1",
                ID,
                "shop",
                service,
                0,
                "https://git.example.com/" + service + ".git",
                "2.0",
                "no fleet.yaml",
                retryable);
    }

    static ClusterReady ready(String service, String cluster) {
        return new ClusterReady(ID, service, cluster, "sha-" + service);
    }

    static ClusterFailed failed(String service, String cluster) {
        return new ClusterFailed(ID, service, cluster, "ErrApplied", "helm upgrade failed");
    }

    static ClusterTimedOut timedOut(String service, String cluster) {
        return new ClusterTimedOut(ID, service, cluster, OffsetDateTime.parse("2026-11-29T10:15:00Z"));
    }

    static RolloutControl control(Action a) {
        return new RolloutControl(ID, a, "", "bob");
    }

    // ---- named starting states

    RolloutState given(String name) {
        RolloutPolicy policy = name.endsWith("/fail-policy")
                ? new RolloutPolicy(Duration.ofMinutes(15), 0, RolloutPolicy.OnFailure.FAIL)
                : name.endsWith("/tolerate-1")
                        ? new RolloutPolicy(Duration.ofMinutes(15), 1, RolloutPolicy.OnFailure.PAUSE)
                        : RolloutPolicy.DEFAULT;
        RolloutState s = new RolloutState();
        machine.start(request(policy), s);
        List<Object> inputs = new ArrayList<>();
        switch (name.replaceAll("/.*", "")) {
            case "a-committing" -> {}
            case "a-deploying" -> inputs.add(committed("a", 1));
            case "a-c1-ready" -> inputs.addAll(List.of(committed("a", 1), ready("a", "c1")));
            case "a-c1-c2-ready" -> inputs.addAll(List.of(committed("a", 1), ready("a", "c1"), ready("a", "c2")));
            case "a-c2-failed" -> inputs.addAll(List.of(committed("a", 1), ready("a", "c1"), failed("a", "c2")));
            case "a-commit-failed" -> inputs.add(commitFailed("a", true));
            case "paused" -> inputs.add(control(Action.PAUSE));
            case "paused-a-deploying" -> inputs.addAll(List.of(committed("a", 1), control(Action.PAUSE)));
            case "b-committing" ->
                inputs.addAll(List.of(committed("a", 1), ready("a", "c1"), ready("a", "c2"), ready("a", "c3")));
            case "b-deploying" ->
                inputs.addAll(List.of(
                        committed("a", 1),
                        ready("a", "c1"),
                        ready("a", "c2"),
                        ready("a", "c3"),
                        committed("b", 1),
                        ready("b", "c1"),
                        ready("b", "c2")));
            case "aborted" -> inputs.addAll(List.of(committed("a", 1), control(Action.ABORT)));
            default -> throw new IllegalArgumentException(name);
        }
        inputs.forEach(i -> machine.apply(s, i));
        return s;
    }

    static Stream<Arguments> transitions() {
        return Stream.of(
                // given, input, rollout phase after, step phases after (a,b,c), messages sent (types)
                row(
                        "a-committing",
                        committed("a", 1),
                        "RUNNING",
                        "DEPLOYING,WAITING,SKIPPED",
                        "StepCommitted AwaitReady AwaitReady AwaitReady"),
                row("a-deploying", committed("a", 1), "RUNNING", "DEPLOYING,WAITING,SKIPPED", "" /* duplicate */),
                row("a-committing", committed("a", 0), "RUNNING", "COMMITTING,WAITING,SKIPPED", "" /* other id */),
                row("a-committing", ready("a", "c1"), "RUNNING", "COMMITTING,WAITING,SKIPPED", "" /* too early */),
                row("a-deploying", ready("a", "c1"), "RUNNING", "DEPLOYING,WAITING,SKIPPED", "ClustersReady"),
                row("a-c1-ready", ready("a", "c1"), "RUNNING", "DEPLOYING,WAITING,SKIPPED", "" /* duplicate */),
                row("a-deploying", ready("a", "c9"), "RUNNING", "DEPLOYING,WAITING,SKIPPED", "" /* not counted */),
                row(
                        "a-c1-c2-ready",
                        ready("a", "c3"),
                        "RUNNING",
                        "DONE,COMMITTING,SKIPPED",
                        "ClustersReady StepCompleted StepStarted BumpVersion"),
                row(
                        "a-deploying",
                        failed("a", "c2"),
                        "PAUSED",
                        "FAILED,WAITING,SKIPPED",
                        "ClusterFailed StepFailed RolloutPaused"),
                row(
                        "a-deploying/fail-policy",
                        failed("a", "c2"),
                        "FAILED",
                        "FAILED,WAITING,SKIPPED",
                        "ClusterFailed StepFailed RolloutFailed"),
                row(
                        "a-deploying",
                        timedOut("a", "c3"),
                        "PAUSED",
                        "FAILED,WAITING,SKIPPED",
                        "ClusterFailed StepFailed RolloutPaused"),
                row(
                        "a-c1-c2-ready/tolerate-1",
                        failed("a", "c3"),
                        "RUNNING",
                        "DONE,COMMITTING,SKIPPED",
                        "ClusterFailed StepCompleted StepStarted BumpVersion"),
                row(
                        "a-deploying/tolerate-1",
                        failed("a", "c3"),
                        "RUNNING",
                        "DEPLOYING,WAITING,SKIPPED",
                        "ClusterFailed"),
                row("a-c2-failed", ready("a", "c3"), "PAUSED", "FAILED,WAITING,SKIPPED", "ClustersReady" /* kept */),
                row("a-c2-failed", failed("a", "c2"), "PAUSED", "FAILED,WAITING,SKIPPED", "" /* duplicate */),
                row(
                        "a-committing",
                        commitFailed("a", false),
                        "ERRORED",
                        "FAILED,WAITING,SKIPPED",
                        "StepFailed RolloutErrored"),
                row(
                        "a-committing",
                        commitFailed("a", true),
                        "PAUSED",
                        "FAILED,WAITING,SKIPPED",
                        "StepFailed RolloutPaused"),
                row("a-deploying", commitFailed("a", true), "RUNNING", "DEPLOYING,WAITING,SKIPPED", "" /* late */),
                row("a-committing", control(Action.PAUSE), "PAUSED", "COMMITTING,WAITING,SKIPPED", "RolloutPaused"),
                row("paused", control(Action.PAUSE), "PAUSED", "COMMITTING,WAITING,SKIPPED", ""),
                row(
                        "paused",
                        committed("a", 1),
                        "PAUSED",
                        "DEPLOYING,WAITING,SKIPPED",
                        "StepCommitted AwaitReady AwaitReady AwaitReady" /* in flight: it finishes */),
                row("paused-a-deploying", ready("a", "c1"), "PAUSED", "DEPLOYING,WAITING,SKIPPED", "ClustersReady"),
                row(
                        "a-c2-failed",
                        control(Action.RESUME),
                        "RUNNING",
                        "DEPLOYING,WAITING,SKIPPED",
                        "RolloutResumed AwaitReady" /* only c2 again; c3 is still awaited */),
                row(
                        "a-commit-failed",
                        control(Action.RESUME),
                        "RUNNING",
                        "COMMITTING,WAITING,SKIPPED",
                        "RolloutResumed StepStarted BumpVersion"),
                row("a-committing", control(Action.RESUME), "RUNNING", "COMMITTING,WAITING,SKIPPED", ""),
                row("a-deploying", control(Action.ABORT), "ABORTED", "DEPLOYING,WAITING,SKIPPED", "RolloutAborted"),
                row("aborted", control(Action.ABORT), "ABORTED", "DEPLOYING,WAITING,SKIPPED", ""),
                row("aborted", control(Action.RESUME), "ABORTED", "DEPLOYING,WAITING,SKIPPED", ""),
                row("aborted", ready("a", "c1"), "ABORTED", "DEPLOYING,WAITING,SKIPPED", ""),
                row(
                        "a-c1-c2-ready",
                        new RingMembership("c3", false),
                        "RUNNING",
                        "DONE,COMMITTING,SKIPPED",
                        "ClusterLeftRing StepCompleted StepStarted BumpVersion"),
                row(
                        "a-deploying",
                        new RingMembership("c9", true),
                        "RUNNING",
                        "DEPLOYING,WAITING,SKIPPED",
                        "ClusterJoinedRing"),
                row("a-deploying", new RingMembership("c9", false), "RUNNING", "DEPLOYING,WAITING,SKIPPED", ""),
                row("a-deploying", new RingMembership("c1", true), "RUNNING", "DEPLOYING,WAITING,SKIPPED", ""),
                row("b-committing", committed("a", 1), "RUNNING", "DONE,COMMITTING,SKIPPED", "" /* replay */),
                row(
                        "b-deploying",
                        ready("b", "c3"),
                        "SUCCEEDED",
                        "DONE,DONE,SKIPPED",
                        "ClustersReady StepCompleted RolloutSucceeded"),
                row("b-deploying", control(Action.PAUSE), "PAUSED", "DONE,DEPLOYING,SKIPPED", "RolloutPaused"));
    }

    static Arguments row(String given, Object input, String phase, String steps, String sent) {
        return Arguments.of(given, input, phase, steps, sent);
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("transitions")
    void transition(String given, Object input, String phase, String steps, String sent) {
        RolloutState s = given(given);
        List<Outgoing> out = machine.apply(s, input).messages();
        assertThat(s.phase.name()).isEqualTo(phase);
        assertThat(s.step("a").phase + "," + s.step("b").phase + "," + s.step("c").phase)
                .isEqualTo(steps);
        assertThat(out.stream().map(o -> o.payload().getClass().getSimpleName()).toList())
                .containsExactlyElementsOf(sent.isEmpty() ? List.of() : List.of(sent.split(" ")));
    }

    @Test
    void startOrdersTheStepsSkipsWhatHasNothingToDoAndBumpsTheSources() {
        RolloutState s = new RolloutState();
        List<Outgoing> out = machine.start(request(RolloutPolicy.DEFAULT), s).messages();
        assertThat(s.phase).isEqualTo(RolloutPhase.RUNNING);
        assertThat(s.layers).containsExactly(List.of("a"), List.of("b", "c"));
        assertThat(s.steps.keySet()).containsExactly("a", "b", "c");
        assertThat(out.stream().map(o -> o.payload().getClass().getSimpleName()))
                .containsExactly("RolloutStarted", "StepCompleted", "StepStarted", "BumpVersion");
        BumpVersion bump = (BumpVersion) out.get(3).payload();
        assertThat(bump.commandId()).isEqualTo("r1:a:1");
        assertThat(bump.ring()).isZero();
        assertThat(bump.version()).isEqualTo("2.0");
        assertThat(bump.customizationPattern()).isEqualTo("ring-{n}");
        assertThat(out.get(3).key()).as("keyed by repository").isEqualTo("https://git.example.com/a.git");
    }

    @Test
    void awaitReadyIsKeyedByClusterWithTheCommitAndTheDeadline() {
        RolloutState s = given("a-committing");
        List<Outgoing> out = machine.apply(s, committed("a", 1)).messages();
        AwaitReady first = (AwaitReady) out.get(1).payload();
        assertThat(out.get(1).key()).isEqualTo("c1");
        assertThat(first.commit()).isEqualTo("sha-a");
        assertThat(first.deadline()).isEqualTo(OffsetDateTime.parse("2026-11-29T10:15:00Z"));
        assertThat(out.subList(1, 4).stream().map(Outgoing::key)).containsExactly("c1", "c2", "c3");
        assertThat(first.failuresSince())
                .as("a first expectation: every failure counts")
                .isNull();
    }

    @Test
    void aClusterAwaitedAgainAfterAResumeIgnoresTheFailureThatCausedThePause() {
        RolloutState s = given("a-c2-failed");
        List<Outgoing> out = machine.apply(s, control(Action.RESUME)).messages();
        AwaitReady again = (AwaitReady) out.get(1).payload();
        assertThat(again.cluster().name()).isEqualTo("c2");
        assertThat(again.failuresSince()).isEqualTo(OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
    }

    @Test
    void aResumeAfterAFailedCommitSendsANewAttempt() {
        RolloutState s = given("a-commit-failed");
        List<Outgoing> out = machine.apply(s, control(Action.RESUME)).messages();
        assertThat(((BumpVersion) out.get(2).payload()).commandId()).isEqualTo("r1:a:2");
        assertThat(machine.apply(s, committed("a", 1)).messages())
                .as("the first attempt's late answer")
                .isEmpty();
        assertThat(machine.apply(s, committed("a", 2)).messages()).isNotEmpty();
    }

    @Test
    void successReportsTheVersionTheRingNowRunsForEveryService() {
        RolloutState s = given("b-deploying");
        List<Outgoing> out = machine.apply(s, ready("b", "c3")).messages();
        RolloutSucceeded done = (RolloutSucceeded) out.get(out.size() - 1).payload();
        assertThat(done.versions()).isEqualTo(Map.of("a", "2.0", "b", "2.0", "c", "3.0"));
    }

    @Test
    void aClusterThatLeavesStopsCountingAndAJoinerIsReportedOnce() {
        RolloutState s = given("a-deploying");
        Consumer<Object> apply = i -> machine.apply(s, i);
        apply.accept(new RingMembership("c2", false));
        apply.accept(ready("a", "c2")); // a departed cluster's answer does not count
        apply.accept(ready("a", "c1"));
        assertThat(s.step("a").phase).isEqualTo(StepPhase.DEPLOYING);
        List<Outgoing> out = machine.apply(s, ready("a", "c3")).messages();
        assertThat(s.step("a").phase).isEqualTo(StepPhase.DONE);
        assertThat(out.get(1).payload()).isInstanceOf(dev.ringmaster.events.rollout.StepCompleted.class);
        var completed = (dev.ringmaster.events.rollout.StepCompleted) out.get(1).payload();
        assertThat(completed.total()).isEqualTo(2);
        assertThat(machine.apply(s, new RingMembership("c2", true)).messages()).hasSize(1);
        assertThat(machine.apply(s, new RingMembership("c2", true)).messages()).isEmpty();
    }

    /** The ready counts of the rollout's ClustersReady progress events that applying {@code input} emitted. */
    private List<String> progress(RolloutState s, Object input) {
        return machine.apply(s, input).messages().stream()
                .map(Outgoing::payload)
                .filter(p -> p instanceof dev.ringmaster.events.rollout.ClustersReady)
                .map(p -> (dev.ringmaster.events.rollout.ClustersReady) p)
                .map(p -> p.clusters() + " " + p.ready() + "/" + p.total())
                .toList();
    }

    @Test
    void progressCountsStayRightThroughFailureResumeDepartureAndAReload() throws Exception {
        RolloutState s = given("a-deploying");
        assertThat(progress(s, ready("a", "c1"))).containsExactly("[c1] 1/3");
        machine.apply(s, failed("a", "c2")); // pauses
        assertThat(progress(s, ready("a", "c3"))).containsExactly("[c3] 2/3");
        machine.apply(s, control(Action.RESUME)); // c2 awaited again
        // stored and read back, as between two transactions: the counts are recounted from the clusters
        var json = new dev.ringmaster.events.EventCodec().mapper();
        RolloutState reloaded = json.readValue(json.writeValueAsString(s), RolloutState.class);
        assertThat(json.writeValueAsString(s)).doesNotContain("tally");
        assertThat(progress(reloaded, ready("a", "c2"))).containsExactly("[c2] 3/3");
        assertThat(reloaded.step("a").phase).isEqualTo(StepPhase.DONE);

        RolloutState other = given("a-deploying");
        assertThat(progress(other, ready("a", "c1"))).containsExactly("[c1] 1/3");
        machine.apply(other, new RingMembership("c1", false)); // a counted ready cluster leaves
        assertThat(progress(other, ready("a", "c2"))).containsExactly("[c2] 1/2");
    }

    @Test
    void everythingSkippedSucceedsAtOnce() {
        RolloutState s = new RolloutState();
        RolloutRequested req = new RolloutRequested(
                ID,
                "shop",
                1,
                OffsetDateTime.now(),
                "",
                "ring",
                "ring-{n}",
                null,
                List.of(plan("a", "1.0", "1.0"), plan("b", "1.0", null)),
                List.of(cluster("c1")));
        List<Outgoing> out = machine.start(req, s).messages();
        assertThat(s.phase).isEqualTo(RolloutPhase.SUCCEEDED);
        assertThat(out.get(out.size() - 1).payload()).isInstanceOf(RolloutSucceeded.class);
        assertThat(s.policy).isEqualTo(RolloutPolicy.DEFAULT);
    }

    @Test
    void anyInputIsIgnoredAfterTheEndAndPhasesSayWhichAreTerminal() {
        assertThat(Stream.of(RolloutPhase.values()).filter(RolloutPhase::isTerminal))
                .containsExactly(
                        RolloutPhase.SUCCEEDED, RolloutPhase.FAILED, RolloutPhase.ERRORED, RolloutPhase.ABORTED);
        RolloutState s = given("aborted");
        for (Object input : List.of(
                committed("b", 1),
                failed("a", "c1"),
                timedOut("a", "c2"),
                new RingMembership("c1", false),
                control(Action.PAUSE))) {
            assertThat(machine.apply(s, input).messages()).isEmpty();
        }
    }
}
