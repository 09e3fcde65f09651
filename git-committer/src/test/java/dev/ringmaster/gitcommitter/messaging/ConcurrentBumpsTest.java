package dev.ringmaster.gitcommitter.messaging;

import static dev.ringmaster.infra.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.Topics;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.gitcommitter.support.Commands;
import dev.ringmaster.gitcommitter.support.Commands.Answer;
import dev.ringmaster.infra.GitHttpServer;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 50 concurrent bumps over 5 repositories (4 services each) and 3 rings, through the real broker and a real Git
 * server, while someone else keeps pushing to the same repositories; then every command is delivered again.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ConcurrentBumpsTest {

    private static final int REPOS = 5;
    private static final int SERVICES = 4;
    private static final int RINGS = 3;
    private static final String ROLLOUT = "rollout-concurrent";

    private static Path tmp;
    private static GitHttpServer server;

    @BeforeAll
    static void gitServer() throws Exception {
        tmp = Files.createTempDirectory("concurrent-bumps");
        server = GitHttpServer.start(tmp.resolve("repos"), "ringmaster", "s3cret");
        for (int r = 0; r < REPOS; r++) {
            Map<String, String> files = new LinkedHashMap<>();
            for (int s = 0; s < SERVICES; s++) {
                files.put("svc-" + s + "/fleet.yaml", seed(r, s));
            }
            files.put("NOTES.md", "notes\n");
            server.createRepository("app-" + r, "main", files);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A fleet.yaml with all three ring overrides in different styles; app-4 uses CRLF line endings. */
    static String seed(int repo, int service) {
        String text = """
                # service svc-%2$d of app-%1$d
                defaultNamespace: app-%1$d
                helm:
                  chart: ./chart
                  values:
                    image:
                      repository: registry.example.com/app-%1$d/svc-%2$d
                      tag: "0.9.0"   # baseline
                targetCustomizations:
                - name: ring-0
                  clusterSelector:
                    matchLabels:
                      ring: "0"
                  helm:
                    values:
                      image:
                        tag: "1.0.0"
                - name: ring-1
                  clusterSelector: {matchLabels: {ring: "1"}}
                  helm: {values: {image: {tag: '1.0.0'}}}

                - name: ring-2   # last
                  clusterSelector:
                    matchLabels: {ring: "2"}
                  helm:
                    values:
                      image: {tag: 1.0.0}  # plain
                """.formatted(repo, service);
        return repo == 4 ? text.replace("\n", "\r\n") : text;
    }

    /** What the file must be once each ring of {@code versions} (ring -> version) is set. */
    static String expected(int repo, int service, Map<Integer, String> versions) {
        String text = seed(repo, service);
        for (var e : versions.entrySet()) {
            String v = e.getValue();
            text = switch (e.getKey()) {
                case 0 -> text.replace("tag: \"1.0.0\"", "tag: \"" + v + "\"");
                case 1 -> text.replace("tag: '1.0.0'", "tag: '" + v + "'");
                default -> text.replace("{tag: 1.0.0}", "{tag: " + v + "}");
            };
        }
        return text;
    }

    @Test
    void fiftyConcurrentBumpsCommitOnceEachKeepOtherPushesAndRedeliveryAddsNothing() throws Exception {
        String broker = KafkaTestResource.bootstrapServers();
        List<BumpVersion> commands = new ArrayList<>();
        Map<String, Map<Integer, String>> finalVersions = new HashMap<>(); // "r/s" -> ring -> version
        Set<String> noOps = new java.util.HashSet<>();
        int n = 0;
        outer:
        for (int s = 0; s < SERVICES; s++) {
            for (int g = 0; g < RINGS; g++) {
                for (int r = 0; r < REPOS; r++) {
                    if (n == 50) {
                        break outer;
                    }
                    // every tenth command sets the version the file holds already
                    String v = n % 10 == 9 ? "1.0.0" : "2." + r + "." + (s * 10 + g);
                    BumpVersion cmd = Commands.bump(ROLLOUT, server.url("app-" + r), "svc-" + s, "svc-" + s, g, v);
                    commands.add(cmd);
                    if (v.equals("1.0.0")) {
                        noOps.add(cmd.commandId());
                    } else {
                        finalVersions
                                .computeIfAbsent(r + "/" + s, k -> new HashMap<>())
                                .put(g, v);
                    }
                    n++;
                }
            }
        }
        Set<String> ids = commands.stream().map(BumpVersion::commandId).collect(Collectors.toSet());

        // Someone else pushes to the same repositories all along (rebasing on a refused push, as people do).
        AtomicBoolean bumping = new AtomicBoolean(true);
        Map<Integer, List<String>> external = new ConcurrentHashMap<>();
        List<Thread> pushers = new ArrayList<>();
        for (int r = 0; r < REPOS; r++) {
            int repo = r;
            Path clone = tmp.resolve("person-" + r);
            git(
                    tmp,
                    "clone",
                    "-q",
                    server.url("app-" + r).replace("http://", "http://ringmaster:s3cret@"),
                    clone.toString());
            Thread t = new Thread(() -> {
                for (int i = 0; i < 20 && (bumping.get() || i < 2); i++) {
                    String subject = "external " + repo + "-" + i;
                    try {
                        Thread.sleep(100); // a very busy person: ten pushes a second to each repository, twenty at most
                        Files.writeString(
                                clone.resolve("NOTES.md"), subject + "\n", java.nio.file.StandardOpenOption.APPEND);
                        git(
                                clone,
                                "-c",
                                "user.name=Person",
                                "-c",
                                "user.email=p@example.com",
                                "commit",
                                "-qam",
                                subject);
                        pushWithRebase(clone);
                        external.computeIfAbsent(repo, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                .add(subject);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            t.start();
            pushers.add(t);
        }

        List<Answer> answers;
        try (TopicReader reader = new TopicReader(broker, Topics.GIT_EVENTS)) {
            Commands.send(broker, commands);
            reader.awaitUntil(rs -> Commands.answersFor(reader, ids).size() >= 50, Duration.ofSeconds(120));
            bumping.set(false);
            for (Thread t : pushers) {
                t.join();
            }
            answers = Commands.answersFor(reader, ids);
        }

        // One answer per command; each changing command committed, each no-op did not.
        assertThat(answers).hasSize(50);
        assertThat(answers.stream().map(Answer::commandId).distinct()).hasSize(50);
        assertThat(answers).allSatisfy(a -> assertThat(a.payload()).isInstanceOf(VersionCommitted.class));
        assertThat(answers)
                .allSatisfy(a -> assertThat(a.key()).isEqualTo(a.committed().repoUrl()));
        assertThat(answers.stream().filter(a -> a.committed().changed()).map(Answer::commandId))
                .containsExactlyInAnyOrderElementsOf(
                        ids.stream().filter(id -> !noOps.contains(id)).toList());
        Map<String, Long> commitsPerRepo = answers.stream()
                .filter(a -> a.committed().changed())
                .collect(Collectors.groupingBy(a -> a.committed().repoUrl(), Collectors.counting()));

        for (int r = 0; r < REPOS; r++) {
            Path bare = server.repository("app-" + r);
            int externalCommits = external.getOrDefault(r, List.of()).size();
            assertThat(externalCommits)
                    .as("someone else pushed to app-%d meanwhile", r)
                    .isGreaterThan(0);
            long ours = commitsPerRepo.getOrDefault(server.url("app-" + r), 0L);
            assertThat(Integer.parseInt(git(bare, "rev-list", "--count", "main").trim()))
                    .as("app-%d: the seed, one commit per changing bump, and every external commit", r)
                    .isEqualTo(1 + ours + externalCommits);
            assertThat(git(bare, "rev-list", "--merges", "main"))
                    .as("linear history")
                    .isEmpty();
            git(bare, "fsck", "--strict", "--no-dangling");
            String log = git(bare, "log", "--format=%s", "main");
            assertThat(log).contains(external.get(r));
            assertThat(log.lines().filter(l -> l.startsWith("Roll out ")).count())
                    .isEqualTo(ours);
            for (int s = 0; s < SERVICES; s++) {
                String file = git(bare, "show", "main:svc-" + s + "/fleet.yaml");
                assertThat(file)
                        .as("app-%d/svc-%d differs from its start only in the intended values", r, s)
                        .isEqualTo(expected(r, s, finalVersions.getOrDefault(r + "/" + s, Map.of())));
            }
        }
        for (Answer a : answers) {
            if (a.committed().changed()) {
                Path bare = server.repository(a.key().replaceAll(".*/", "").replace(".git", ""));
                git(bare, "merge-base", "--is-ancestor", a.committed().commit(), "main");
                assertThat(git(bare, "show", "-s", "--format=%B", a.committed().commit()))
                        .contains("Rollout-Id: " + ROLLOUT)
                        .contains("Service: " + a.committed().service())
                        .contains("Ring: " + a.committed().ring())
                        .contains("Version: " + a.committed().version());
            }
        }

        // Every command delivered again, same ids: the same answers, and not one commit more.
        Map<Integer, String> heads = new HashMap<>();
        for (int r = 0; r < REPOS; r++) {
            heads.put(r, git(server.repository("app-" + r), "rev-parse", "main"));
        }
        Map<String, String> firstCommits = answers.stream()
                .filter(a -> a.committed().changed())
                .collect(Collectors.toMap(Answer::commandId, a -> a.committed().commit()));
        try (TopicReader reader = new TopicReader(broker, Topics.GIT_EVENTS)) {
            Commands.send(broker, commands);
            reader.awaitUntil(rs -> Commands.answersFor(reader, ids).size() >= 100, Duration.ofSeconds(120));
            List<Answer> again = Commands.answersFor(reader, ids).subList(50, 100);
            assertThat(again)
                    .allSatisfy(a -> assertThat(a.committed().changed()).isFalse());
            assertThat(again.stream().filter(a -> firstCommits.containsKey(a.commandId())))
                    .allSatisfy(a -> assertThat(a.committed().commit()).isEqualTo(firstCommits.get(a.commandId())));
        }
        for (int r = 0; r < REPOS; r++) {
            assertThat(git(server.repository("app-" + r), "rev-parse", "main")).isEqualTo(heads.get(r));
        }
    }

    private static void pushWithRebase(Path clone) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                git(clone, "push", "-q", "origin", "main");
                return;
            } catch (IllegalStateException refused) {
                git(
                        clone,
                        "-c",
                        "user.name=Person",
                        "-c",
                        "user.email=p@example.com",
                        "pull",
                        "-q",
                        "--rebase",
                        "origin",
                        "main");
            }
        }
        throw new IllegalStateException("could not push after 50 attempts");
    }
}
