package dev.ringmaster.gitcommitter;

import static dev.ringmaster.infra.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.Topics;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.gitcommitter.support.Commands;
import dev.ringmaster.infra.EmbeddedKafka;
import dev.ringmaster.infra.GitHttpServer;
import dev.ringmaster.infra.ServiceProcess;
import dev.ringmaster.infra.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged git-committer killed (SIGKILL) after its push reached the server and before it could answer: the
 * restarted committer gets the command again, finds its commit by the trailers, answers with it, and commits nothing
 * more.
 */
class GitCommitterCrashIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private static EmbeddedKafka kafka;
    private static GitHttpServer server;
    private static Path tmp;

    @BeforeAll
    static void infrastructure() throws Exception {
        tmp = Files.createTempDirectory("committer-crash");
        kafka = EmbeddedKafka.start();
        server = GitHttpServer.start(tmp.resolve("repos"), "ringmaster", "s3cret");
        server.createRepository("web", "main", Map.of("fleet.yaml", "helm:\n  chart: ./chart\n"));
    }

    @AfterAll
    static void stop() {
        server.close();
        kafka.close();
    }

    private static ServiceProcess committer() {
        return ServiceProcess.start(
                "git-committer",
                JAR,
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "RINGMASTER_GIT_WORKDIR",
                        tmp.resolve("workdir").toString(),
                        "RINGMASTER_GIT_USERNAME",
                        "ringmaster",
                        "RINGMASTER_GIT_PASSWORD",
                        "s3cret"),
                Path.of("target/it-logs"),
                Duration.ofSeconds(60));
    }

    @Test
    void killedBetweenPushAndAnswerItAnswersAfterRestartWithoutASecondCommit() {
        Path bare = server.repository("web");
        BumpVersion cmd = Commands.bump("rollout-crash", server.url("web"), "web", ".", 0, "3.1.4");
        try (TopicReader answers = new TopicReader(kafka.bootstrapServers(), Topics.GIT_EVENTS)) {
            ServiceProcess first = committer();
            server.holdPushAnswers();
            Commands.send(kafka.bootstrapServers(), List.of(cmd));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> git(bare, "log", "--format=%B", "main").contains("Version: 3.1.4"));
            first.kill();
            server.releasePushAnswers();
            String pushed = git(bare, "rev-parse", "main").trim();
            assertThat(Commands.answersFor(answers, List.of(cmd.commandId())))
                    .as("no answer went out before the kill")
                    .isEmpty();

            try (ServiceProcess second = committer()) {
                answers.awaitUntil(
                        rs -> !Commands.answersFor(answers, List.of(cmd.commandId()))
                                .isEmpty(),
                        Duration.ofSeconds(60));
                VersionCommitted answer = Commands.answersFor(answers, List.of(cmd.commandId()))
                        .get(0)
                        .committed();
                assertThat(answer.changed()).isFalse();
                assertThat(answer.commit()).isEqualTo(pushed);
                assertThat(git(bare, "rev-list", "--count", "main").trim())
                        .as("the seed and exactly one bump")
                        .isEqualTo("2");
                git(bare, "fsck", "--strict");
            }
        }
    }
}
