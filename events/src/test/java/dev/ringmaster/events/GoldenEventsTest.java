package dev.ringmaster.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contracts, pinned: each event type's JSON is compared with a golden file, so a change to a contract shows up
 * as a diff to review. Regenerate deliberately with {@code -Dringmaster.golden.write=true}.
 */
class GoldenEventsTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final OffsetDateTime TIME = OffsetDateTime.parse("2026-11-29T10:15:30.123Z");

    private final EventCodec codec = new EventCodec();

    static Stream<Arguments> types() {
        return Arrays.stream(EventType.values()).map(Arguments::of);
    }

    private CloudEvent sample(EventType type) {
        Object payload = Samples.all().get(type);
        assertThat(payload).as("a sample payload for %s", type).isNotNull();
        return codec.wrap(
                "00000000-0000-4000-8000-" + String.format("%012d", type.ordinal()),
                "/ringmaster/test",
                "shop",
                TIME,
                payload);
    }

    private static Path golden(EventType type) {
        return GOLDEN.resolve(type.type() + ".json");
    }

    @ParameterizedTest
    @MethodSource("types")
    void encodingMatchesTheGoldenFile(EventType type) throws IOException {
        CloudEvent event = sample(type);
        String json = codec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(event) + "\n";
        if (Boolean.getBoolean("ringmaster.golden.write")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden(type), json, StandardCharsets.UTF_8);
        }
        assertThat(golden(type)).as("golden file for %s", type.type()).exists();
        JsonNode expected = codec.mapper().readTree(Files.readString(golden(type)));
        assertThat(codec.mapper().readTree(codec.encode(event))).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("types")
    void goldenFileDecodesToTheSamplePayload(EventType type) throws IOException {
        CloudEvent decoded = codec.decode(Files.readString(golden(type)));
        assertThat(decoded.type()).isEqualTo(type.type());
        assertThat(decoded.specversion()).isEqualTo("1.0");
        assertThat(decoded.time()).isEqualTo(TIME);
        assertThat(codec.payload(decoded)).isEqualTo(Samples.all().get(type));
        assertThat(codec.payload(decoded)).isInstanceOf(type.payloadClass());
    }

    @ParameterizedTest
    @MethodSource("types")
    void unknownFieldsAreIgnored(EventType type) throws IOException {
        ObjectNode tree = (ObjectNode) codec.mapper().readTree(Files.readString(golden(type)));
        tree.put("extensionattribute", "x");
        ((ObjectNode) tree.get("data")).put("aFieldFromTheFuture", 42);
        CloudEvent decoded = codec.decode(codec.mapper().writeValueAsString(tree));
        assertThat(codec.payload(decoded)).isEqualTo(Samples.all().get(type));
    }

    @Test
    void everyTypeIsVersionedAndUnique() {
        assertThat(EventType.values())
                .allSatisfy(t -> assertThat(t.type()).matches("ringmaster\\.[a-z]+(\\.[a-z-]+)+\\.v[0-9]+"));
        assertThat(Arrays.stream(EventType.values()).map(EventType::type).distinct())
                .hasSize(EventType.values().length);
    }

    @Test
    void noGoldenFileIsLeftWithoutAType() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            assertThat(files.map(p -> p.getFileName().toString().replace(".json", "")))
                    .allSatisfy(name -> assertThat(EventType.ofType(name)).isPresent());
        }
    }
}
