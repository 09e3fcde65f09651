package dev.ringmaster.gitcommitter.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

class FleetYamlEditorTest {

    private static final RingOverride RING0 = RingOverride.of(0, "ring-{n}", "ring", "helm.values.image.tag");
    private static final RingOverride RING1 = RingOverride.of(1, "ring-{n}", "ring", "helm.values.image.tag");

    // ---- the exact bytes, case by case

    @Test
    void replacesOnlyTheValueOfAnExistingOverrideKeepingCommentsAndQuoting() {
        String before = """
                # the web shop
                defaultNamespace: shop   # where it runs
                helm:
                  chart: ./chart
                  values:
                    image: {repository: registry.example.com/web, tag: "1.4.0"}   # baseline

                targetCustomizations:
                # canary first
                - name: ring-0
                  clusterSelector: {matchLabels: {ring: "0"}}
                  helm: {values: {image: {tag: "1.4.1"}}}   # keep me
                - name: ring-1
                  clusterSelector:
                    matchLabels:
                      ring: "1"
                  helm:
                    values:
                      image:
                        tag: '1.4.0'  # single quotes stay
                """;
        var r0 = FleetYamlEditor.setVersion(before, RING0, "1.5.0");
        assertThat(r0.changed()).isTrue();
        assertThat(r0.previous()).isEqualTo("1.4.1");
        assertThat(r0.text()).isEqualTo(before.replace("tag: \"1.4.1\"", "tag: \"1.5.0\""));
        var r1 = FleetYamlEditor.setVersion(r0.text(), RING1, "1.5.0");
        assertThat(r1.text()).isEqualTo(r0.text().replace("tag: '1.4.0'", "tag: '1.5.0'"));
        assertThat(FleetYamlEditor.currentVersion(r1.text(), RING1)).contains("1.5.0");
    }

    @Test
    void aPlainValueStaysPlainUnlessPlainWouldNotBeAString() {
        String before = """
                targetCustomizations:
                - name: ring-0
                  helm:
                    values:
                      image:
                        tag: 1.4.0
                """;
        assertThat(FleetYamlEditor.setVersion(before, RING0, "1.5.0").text())
                .isEqualTo(before.replace("1.4.0", "1.5.0"));
        // "1.10" plain would be the number 1.1; "true" a boolean; "123" an integer: these are quoted.
        assertThat(FleetYamlEditor.setVersion(before, RING0, "1.10").text()).contains("tag: \"1.10\"");
        assertThat(FleetYamlEditor.setVersion(before, RING0, "123").text()).contains("tag: \"123\"");
        assertThat(FleetYamlEditor.setVersion(before, RING0, "v2").text()).contains("tag: v2\n");
    }

    @Test
    void theSameVersionAgainChangesNothing() {
        String before = "targetCustomizations:\n- name: ring-0\n  helm: {values: {image: {tag: \"2.0\"}}}\n";
        var r = FleetYamlEditor.setVersion(before, RING0, "2.0");
        assertThat(r.changed()).isFalse();
        assertThat(r.text()).isEqualTo(before);
    }

    @Test
    void addsAMissingOverrideAfterTheExistingOnes() {
        String before = """
                helm:
                  values:
                    image:
                      tag: "1.4.0"
                targetCustomizations:
                - name: ring-0
                  clusterSelector:
                    matchLabels:
                      ring: "0"
                  helm:
                    values:
                      image:
                        tag: "1.5.0"
                # trailing comment
                """;
        var r = FleetYamlEditor.setVersion(before, RING1, "1.5.0");
        assertThat(r.previous()).isNull();
        assertThat(r.text()).isEqualTo("""
                helm:
                  values:
                    image:
                      tag: "1.4.0"
                targetCustomizations:
                - name: ring-0
                  clusterSelector:
                    matchLabels:
                      ring: "0"
                  helm:
                    values:
                      image:
                        tag: "1.5.0"
                - name: ring-1
                  clusterSelector:
                    matchLabels:
                      ring: "1"
                  helm:
                    values:
                      image:
                        tag: "1.5.0"
                # trailing comment
                """);
    }

    @Test
    void followsTheListsIndentation() {
        String before = "targetCustomizations:\n    -   name: other\n        helm: {}\nnext: 1\n";
        var r = FleetYamlEditor.setVersion(before, RING0, "3");
        assertThat(r.text())
                .isEqualTo("targetCustomizations:\n    -   name: other\n        helm: {}\n"
                        + "    -   name: ring-0\n        clusterSelector:\n          matchLabels:\n            ring: \"0\"\n"
                        + "        helm:\n          values:\n            image:\n              tag: \"3\"\nnext: 1\n");
        assertLoads(r.text());
    }

    @Test
    void addsTheListWhenThereIsNoneAndKeepsAFileWithoutFinalNewline() {
        String before = "defaultNamespace: shop\nhelm:\n  chart: ./chart";
        var r = FleetYamlEditor.setVersion(before, RING0, "1.0.0");
        assertThat(r.text())
                .isEqualTo(
                        before + "\ntargetCustomizations:\n- name: ring-0\n  clusterSelector:\n"
                                + "    matchLabels:\n      ring: \"0\"\n  helm:\n    values:\n      image:\n        tag: \"1.0.0\"\n");
    }

    @Test
    void fillsInTheMissingPartOfThePathInsideAnExistingOverride() {
        String before = """
                targetCustomizations:
                - name: ring-0
                  clusterSelector: {matchLabels: {ring: "0"}}
                  helm:
                    values:
                      replicas: 3   # three
                - name: ring-1
                  helm: {values: {replicas: 5}}
                """;
        var r0 = FleetYamlEditor.setVersion(before, RING0, "9.9");
        assertThat(r0.text())
                .isEqualTo(before.replace(
                        "      replicas: 3   # three\n",
                        "      replicas: 3   # three\n      image:\n        tag: \"9.9\"\n"));
        var r1 = FleetYamlEditor.setVersion(before, RING1, "9.9");
        assertThat(r1.text())
                .isEqualTo(before.replace("{values: {replicas: 5}}", "{values: {replicas: 5, image: {tag: \"9.9\"}}}"));
    }

    @Test
    void aNullValueOnThePathIsFilledIn() {
        String before = "targetCustomizations:\n- name: ring-0\n  helm:\n- name: x\n";
        assertThat(FleetYamlEditor.setVersion(before, RING0, "1").text())
                .isEqualTo("targetCustomizations:\n- name: ring-0\n  helm:\n    values:\n      image:\n"
                        + "        tag: \"1\"\n- name: x\n");
        String emptyTag = "targetCustomizations:\n- name: ring-0\n  helm: {values: {image: {tag: }}}\n";
        assertThat(FleetYamlEditor.setVersion(emptyTag, RING0, "1").text())
                .isEqualTo("targetCustomizations:\n- name: ring-0\n  helm: {values: {image: {tag: \"1\" }}}\n");
        String nullList = "helm: {}\ntargetCustomizations:\n";
        assertLoads(FleetYamlEditor.setVersion(nullList, RING0, "1").text());
        assertThat(FleetYamlEditor.currentVersion(
                        FleetYamlEditor.setVersion(nullList, RING0, "1").text(), RING0))
                .contains("1");
    }

    @Test
    void crlfLineEndingsAreKept() {
        String before = "helm:\r\n  chart: x\r\ntargetCustomizations:\r\n- name: ring-0\r\n"
                + "  helm:\r\n    values:\r\n      image:\r\n        tag: \"1\"\r\n";
        var r0 = FleetYamlEditor.setVersion(before, RING0, "2");
        assertThat(r0.text()).isEqualTo(before.replace("\"1\"", "\"2\""));
        var r1 = FleetYamlEditor.setVersion(before, RING1, "2");
        assertThat(r1.text()).startsWith(before);
        assertThat(r1.text().substring(before.length())).doesNotContain("\n\n").doesNotMatch("(?s).*[^\r]\n.*");
        assertLoads(r1.text());
    }

    @Test
    void anAliasIsReplacedWhereItStandsAndItsAnchorIsLeftAlone() {
        String before = """
                helm:
                  values:
                    image:
                      tag: &baseline "1.4.0"
                targetCustomizations:
                - name: ring-0
                  helm: {values: {image: {tag: *baseline}}}
                - name: ring-1
                  helm: {values: {image: {tag: *baseline}}}
                """;
        var r = FleetYamlEditor.setVersion(before, RING0, "1.5.0");
        assertThat(r.text()).isEqualTo(before.replaceFirst("\\*baseline", "\"1.5.0\""));
        assertThat(r.previous()).isEqualTo("*baseline");
        assertThat(FleetYamlEditor.currentVersion(r.text(), RING1)).contains("1.4.0");
    }

    @Test
    void unicodeBeforeTheValueDoesNotShiftTheEdit() {
        String before = "# déploiement 🚀 ring 0\ntargetCustomizations:\n- name: ring-0 # 🚀🚀\n"
                + "  helm: {values: {image: {tag: \"1\"}}}\n";
        assertThat(FleetYamlEditor.setVersion(before, RING0, "2").text()).isEqualTo(before.replace("\"1\"", "\"2\""));
        String bom = "\uFEFF" + before;
        assertThat(FleetYamlEditor.setVersion(bom, RING0, "2").text()).isEqualTo(bom.replace("\"1\"", "\"2\""));
    }

    @Test
    void aFlowListGetsAFlowItem() {
        String before = "targetCustomizations: [{name: dev, clusterSelector: {}}]\n";
        String after = FleetYamlEditor.setVersion(before, RING1, "7").text();
        assertThat(after)
                .isEqualTo("targetCustomizations: [{name: dev, clusterSelector: {}}, {name: ring-1,"
                        + " clusterSelector: {matchLabels: {ring: \"1\"}}, helm: {values: {image: {tag: \"7\"}}}}]\n");
        assertThat(FleetYamlEditor.currentVersion(after, RING1)).contains("7");
    }

    @Test
    void anotherPatternLabelAndPathAreHonoured() {
        RingOverride wave = RingOverride.of(2, "wave{n}", "example.com/wave", "helm.values.api.version");
        String after =
                FleetYamlEditor.setVersion("helm: {chart: x}\n", wave, "4.0").text();
        assertThat(after)
                .isEqualTo("helm: {chart: x}\ntargetCustomizations:\n- name: wave2\n  clusterSelector:\n"
                        + "    matchLabels:\n      example.com/wave: \"2\"\n  helm:\n    values:\n      api:\n"
                        + "        version: \"4.0\"\n");
    }

    // ---- refusals: a reason a person can act on

    @Test
    void refusesWhatItCannotEditSafely() {
        assertThatThrownBy(() -> FleetYamlEditor.setVersion("a: [\n", RING0, "1"))
                .isInstanceOf(FleetYamlException.class)
                .hasMessageStartingWith("fleet.yaml is not valid YAML");
        assertThatThrownBy(() -> FleetYamlEditor.setVersion("- a\n- b\n", RING0, "1"))
                .hasMessage("fleet.yaml must be a YAML mapping at the top");
        assertThatThrownBy(() -> FleetYamlEditor.setVersion("targetCustomizations: {a: 1}\n", RING0, "1"))
                .hasMessage("targetCustomizations must be a list");
        assertThatThrownBy(() -> FleetYamlEditor.setVersion(
                        "targetCustomizations:\n- name: ring-0\n  helm: {values: 5}\n", RING0, "1"))
                .hasMessage("targetCustomizations[ring-0].helm.values is not a mapping");
        assertThatThrownBy(() -> FleetYamlEditor.setVersion(
                        "targetCustomizations:\n- name: ring-0\n  helm: {values: {image: {tag: [1]}}}\n", RING0, "1"))
                .hasMessageContaining("is not a single value");
        assertThatThrownBy(() -> FleetYamlEditor.setVersion(
                        "base: &b {values: {x: 1}}\ntargetCustomizations:\n- name: ring-0\n  helm:\n    <<: *b\n",
                        RING0,
                        "1"))
                .hasMessageContaining("merge key");
        assertThatThrownBy(() -> FleetYamlEditor.setVersion("a: 1\n---\nb: 2\n", RING0, "1"))
                .hasMessage("fleet.yaml holds more than one YAML document");
        assertThatThrownBy(() -> FleetYamlEditor.setVersion("a: 1\na: 2\n", RING0, "1"))
                .hasMessageContaining("duplicate key");
    }

    // ---- the real fleet.yaml files of Fleet and fleet-examples

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example-multi-cluster-helm.yaml",
                "example-multi-cluster-helm-external.yaml",
                "example-single-cluster-helm.yaml",
                "example-single-cluster-helm-multi-chart-rancher-monitoring.yaml",
                "example-dependson-multiple.yaml",
                "example-imagescan.yaml"
            })
    void realFilesOnlyGainTheOverrideThenOnlyTheValueChanges(String file) throws IOException {
        String original = resource(file);
        var first = FleetYamlEditor.setVersion(original, RING0, "1.5.0");
        assertThat(first.changed()).isTrue();
        assertOnlyInserted(original, first.text());
        Map<String, Object> before = load(original);
        Map<String, Object> after = load(first.text());
        List<Object> expectedList = new ArrayList<>(listOrEmpty(before.get("targetCustomizations")));
        expectedList.add(Map.of(
                "name", "ring-0",
                "clusterSelector", Map.of("matchLabels", Map.of("ring", "0")),
                "helm", Map.of("values", Map.of("image", Map.of("tag", "1.5.0")))));
        Map<String, Object> expected = new LinkedHashMap<>(before);
        expected.put("targetCustomizations", expectedList);
        assertThat(after).isEqualTo(expected);

        var again = FleetYamlEditor.setVersion(first.text(), RING0, "1.5.0");
        assertThat(again.changed()).isFalse();

        var second = FleetYamlEditor.setVersion(first.text(), RING0, "1.6.0");
        assertThat(second.text()).isEqualTo(first.text().replace("tag: \"1.5.0\"", "tag: \"1.6.0\""));
        var ring1 = FleetYamlEditor.setVersion(second.text(), RING1, "1.5.0");
        assertOnlyInserted(second.text(), ring1.text());
        assertThat(FleetYamlEditor.currentVersion(ring1.text(), RING0)).contains("1.6.0");
        assertThat(FleetYamlEditor.currentVersion(ring1.text(), RING1)).contains("1.5.0");
    }

    /** {@code after} is {@code before} with one run of text inserted, nothing else touched. */
    private static void assertOnlyInserted(String before, String after) {
        int prefix = 0;
        while (prefix < before.length() && before.charAt(prefix) == after.charAt(prefix)) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < before.length() - prefix
                && before.charAt(before.length() - 1 - suffix) == after.charAt(after.length() - 1 - suffix)) {
            suffix++;
        }
        assertThat(prefix + suffix).as("every byte of the original is kept").isEqualTo(before.length());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String text) {
        Object o = new Yaml().load(text);
        return o == null ? new LinkedHashMap<>() : (Map<String, Object>) o;
    }

    private static void assertLoads(String text) {
        assertThat(load(text)).isNotNull();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> listOrEmpty(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FleetYamlEditorTest.class.getResourceAsStream("/fleet-yaml/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
