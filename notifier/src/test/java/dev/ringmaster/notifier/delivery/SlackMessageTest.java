package dev.ringmaster.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.rollout.ClusterFailed;
import dev.ringmaster.events.rollout.ClustersReady;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import dev.ringmaster.events.rollout.StepCompleted;
import dev.ringmaster.events.rollout.StepStarted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Block Kit messages, against golden files in src/test/resources/slack (write them anew with
 * {@code -Dringmaster.golden.write=true} and review the diff).
 */
class SlackMessageTest {

    private static final String ROLLOUT = "6f1c2a9e-3b7d-4c1e-9a55-0d2f4b8e7c10";
    private static final Path GOLDEN = Path.of("src/test/resources/slack");
    private static final EventCodec CODEC = new EventCodec();
    private static final ObjectMapper JSON = CODEC.mapper();

    static Stream<Arguments> events() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("api", "2.1.0");
        versions.put("web", "1.5.0");
        return Stream.of(
                Arguments.of("step-started", new StepStarted(ROLLOUT, "shop", 0, "api", "2.0.0", "2.1.0", "cmd-1")),
                Arguments.of("step-completed", new StepCompleted(ROLLOUT, "shop", 0, "api", "DONE", "2.1.0", 4, 1, 5)),
                Arguments.of(
                        "cluster-failed",
                        new ClusterFailed(
                                ROLLOUT,
                                "shop",
                                1,
                                "web",
                                "edge-3",
                                "ErrApplied",
                                "helm: <release> failed & rolled back",
                                1,
                                12)),
                Arguments.of(
                        "clusters-ready",
                        new ClustersReady(
                                ROLLOUT,
                                "shop",
                                0,
                                "api",
                                List.of("edge-1", "edge-2", "edge-3", "edge-4", "edge-5", "edge-6", "edge-7"),
                                9,
                                12)),
                Arguments.of("succeeded", new RolloutSucceeded(ROLLOUT, "shop", 2, versions)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void blockKitMatchesTheGoldenFile(String name, Object payload) throws IOException {
        CloudEvent event = CODEC.wrap(
                "00000000-0000-4000-8000-0000000000" + String.format("%02d", name.length()),
                "/ringmaster/rollout-orchestrator",
                ROLLOUT,
                OffsetDateTime.parse("2026-11-29T10:15:30Z"),
                payload);
        String rendered = new SlackMessage(JSON, "https://ringmaster.example.com/").render(event);
        JsonNode actual = JSON.readTree(rendered);
        Path file = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("ringmaster.golden.write")) {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
        }
        assertThat(actual).isEqualTo(JSON.readTree(Files.readString(file)));
        // Block Kit limits: a header's plain text at most 150 characters, at most 10 fields per section.
        assertThat(actual.at("/blocks/0/text/text").asText().length()).isLessThanOrEqualTo(150);
        assertThat(actual.at("/blocks/1/fields").size()).isLessThanOrEqualTo(10);
    }
}
