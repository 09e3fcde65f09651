package dev.ringmaster.gitcommitter.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.RolloutPlanSet;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.CommitFailed;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.gitcommitter.support.Commands;
import dev.ringmaster.gitcommitter.support.Commands.Answer;
import dev.ringmaster.infra.GitHttpServer;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.ServiceProcess;
import dev.ringmaster.infra.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each class of error gives the right answer; a bad message is parked; a broken repository blocks no other. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BumpErrorsTest {

    private static final String GOOD_FLEET_YAML = "helm:\n  chart: ./chart\n";
    private static GitHttpServer server;
    private static GitHttpServer otherCredentials;

    @BeforeAll
    static void gitServers() throws Exception {
        Path tmp = Files.createTempDirectory("bump-errors");
        server = GitHttpServer.start(tmp.resolve("repos"), "ringmaster", "s3cret");
        server.createRepository("good", "main", Map.of("fleet.yaml", GOOD_FLEET_YAML));
        server.createRepository("broken-yaml", "main", Map.of("fleet.yaml", "helm: [\n"));
        server.createRepository(
                "scalar-path",
                "main",
                Map.of("fleet.yaml", "targetCustomizations:\n- name: ring-0\n  helm: {values: 5}\n"));
        otherCredentials = GitHttpServer.start(tmp.resolve("other"), "someone", "else");
        otherCredentials.createRepository("private", "main", Map.of("fleet.yaml", GOOD_FLEET_YAML));
    }

    @AfterAll
    static void stop() {
        server.close();
        otherCredentials.close();
    }

    private static Answer answer(BumpVersion cmd) {
        String broker = KafkaTestResource.bootstrapServers();
        try (TopicReader reader = new TopicReader(broker, Topics.GIT_EVENTS)) {
            Commands.send(broker, List.of(cmd));
            reader.awaitUntil(
                    rs -> !Commands.answersFor(reader, List.of(cmd.commandId())).isEmpty(), Duration.ofSeconds(60));
            return Commands.answersFor(reader, List.of(cmd.commandId())).get(0);
        }
    }

    private static BumpVersion bump(String url, String path) {
        return Commands.bump("rollout-errors", url, "web", path, 0, "1.2.3");
    }

    @Test
    void anUnreachableServerIsRetryableAfterBoundedRetries() {
        String url = "http://127.0.0.1:" + ServiceProcess.freePort() + "/git/gone.git";
        CommitFailed f = answer(bump(url, ".")).failed();
        assertThat(f.retryable()).isTrue();
        assertThat(f.reason()).startsWith("error reaching " + url + " after 2 attempts");
    }

    @Test
    void aRefusedLoginIsRetryableAndTheReasonHoldsNoSecret() {
        CommitFailed f = answer(bump(otherCredentials.url("private"), ".")).failed();
        assertThat(f.retryable()).isTrue();
        assertThat(f.reason()).containsIgnoringCase("not authorized").doesNotContain("s3cret");
    }

    @Test
    void aMissingFileIsTerminal() {
        CommitFailed f = answer(bump(server.url("good"), "deploy/nope")).failed();
        assertThat(f.retryable()).isFalse();
        assertThat(f.reason()).isEqualTo("no deploy/nope/fleet.yaml on branch main");
    }

    @Test
    void aMissingBranchIsTerminal() {
        BumpVersion b = bump(server.url("good"), ".");
        BumpVersion onRelease = new BumpVersion(
                b.commandId(),
                b.rolloutId(),
                b.application(),
                b.service(),
                b.ring(),
                b.repoUrl(),
                "release",
                b.path(),
                b.versionPath(),
                b.version(),
                b.ringLabel(),
                b.customizationPattern());
        CommitFailed f = answer(onRelease).failed();
        assertThat(f.retryable()).isFalse();
        assertThat(f.reason()).isEqualTo("branch release does not exist in " + server.url("good"));
    }

    @Test
    void unparseableYamlIsTerminal() {
        CommitFailed f = answer(bump(server.url("broken-yaml"), ".")).failed();
        assertThat(f.retryable()).isFalse();
        assertThat(f.reason()).startsWith("fleet.yaml on branch main: fleet.yaml is not valid YAML");
    }

    @Test
    void aVersionPathThroughAValueIsTerminal() {
        CommitFailed f = answer(bump(server.url("scalar-path"), ".")).failed();
        assertThat(f.retryable()).isFalse();
        assertThat(f.reason())
                .isEqualTo("fleet.yaml on branch main: targetCustomizations[ring-0].helm.values is not a mapping");
    }

    @Test
    void aMessageThatIsNotABumpVersionIsDeadLetteredAndTheChannelGoesOn() {
        String broker = KafkaTestResource.bootstrapServers();
        String wrongType =
                Commands.CODEC.encode(Commands.CODEC.wrap("/test", "x", new RolloutPlanSet("shop", "web", "1.0")));
        try (TopicReader dlq = new TopicReader(broker, Topics.deadLetter(Topics.GIT_COMMANDS));
                TopicReader answers = new TopicReader(broker, Topics.GIT_EVENTS)) {
            TopicReader.send(
                    broker, Topics.GIT_COMMANDS, List.of(Map.entry("k1", "not json"), Map.entry("k2", wrongType)));
            dlq.awaitCount(2);
            assertThat(dlq.values()).containsExactlyInAnyOrder("not json", wrongType);
            List<String> reasons = new ArrayList<>();
            for (ConsumerRecord<String, String> r : dlq.records()) {
                reasons.add(
                        new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8));
            }
            assertThat(reasons).anySatisfy(r -> assertThat(r).contains("not a CloudEvent"));
            assertThat(reasons).anySatisfy(r -> assertThat(r).contains("carries only ringmaster.git.bump-version.v1"));

            BumpVersion after = bump(server.url("good"), ".");
            Commands.send(broker, List.of(after));
            answers.awaitUntil(
                    rs -> !Commands.answersFor(answers, List.of(after.commandId()))
                            .isEmpty(),
                    Duration.ofSeconds(60));
            assertThat(Commands.answersFor(answers, List.of(after.commandId()))
                            .get(0)
                            .payload())
                    .isInstanceOf(VersionCommitted.class);
        }
    }

    @Test
    void aServerThatNeverAnswersDoesNotHoldUpAnotherRepository() throws Exception {
        String broker = KafkaTestResource.bootstrapServers();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TopicReader answers = new TopicReader(broker, Topics.GIT_EVENTS)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accept and never answer
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            BumpVersion stuck = bump("http://127.0.0.1:" + silent.getLocalPort() + "/git/slow.git", ".");
            BumpVersion fine = Commands.bump("rollout-errors", server.url("good"), "api", ".", 1, "9.9.9");
            Commands.send(broker, List.of(stuck));
            Commands.send(broker, List.of(fine));
            answers.awaitUntil(
                    rs -> !Commands.answersFor(answers, List.of(fine.commandId()))
                            .isEmpty(),
                    Duration.ofSeconds(30));
            assertThat(Commands.answersFor(answers, List.of(stuck.commandId())))
                    .as("the good repository was answered while the silent one still waits")
                    .isEmpty();
            answers.awaitUntil(
                    rs -> !Commands.answersFor(answers, List.of(stuck.commandId()))
                            .isEmpty(),
                    Duration.ofSeconds(60));
            CommitFailed f = Commands.answersFor(answers, List.of(stuck.commandId()))
                    .get(0)
                    .failed();
            assertThat(f.retryable()).isTrue();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
