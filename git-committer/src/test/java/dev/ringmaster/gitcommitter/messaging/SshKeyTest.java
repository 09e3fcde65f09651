package dev.ringmaster.gitcommitter.messaging;

import static dev.ringmaster.infra.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.Topics;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.gitcommitter.support.Commands;
import dev.ringmaster.gitcommitter.support.SshGitServerResource;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A repository reached over SSH with a private key and a known_hosts file from configuration. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = SshGitServerResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SshKeyTest {

    @Test
    void bumpsARepositoryOverSshWithAKey() {
        String broker = KafkaTestResource.bootstrapServers();
        BumpVersion cmd = Commands.bump("rollout-ssh", SshGitServerResource.url, "web", ".", 2, "5.0.0");
        try (TopicReader answers = new TopicReader(broker, Topics.GIT_EVENTS)) {
            Commands.send(broker, List.of(cmd));
            answers.awaitUntil(
                    rs -> !Commands.answersFor(answers, List.of(cmd.commandId()))
                            .isEmpty(),
                    Duration.ofSeconds(60));
            Object answer = Commands.answersFor(answers, List.of(cmd.commandId()))
                    .get(0)
                    .payload();
            assertThat(answer).isInstanceOf(VersionCommitted.class);
            VersionCommitted committed = (VersionCommitted) answer;
            assertThat(committed.changed()).isTrue();
            assertThat(git(SshGitServerResource.bare, "rev-parse", "main").trim())
                    .isEqualTo(committed.commit());
            assertThat(git(SshGitServerResource.bare, "show", "main:fleet.yaml"))
                    .contains("- name: ring-2", "ring: \"2\"", "tag: \"5.0.0\"");
        }
    }
}
