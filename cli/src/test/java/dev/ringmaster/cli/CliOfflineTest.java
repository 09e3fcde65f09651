package dev.ringmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What ringctl does without a server: usage errors, unreachable servers, formats. */
class CliOfflineTest {

    private final Cli cli = new Cli("http://127.0.0.1:1");

    @Test
    void anUnreachableServerIsOneLineAndExitOne() {
        Cli.Result r = cli.run("app", "list");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err())
                .startsWith("error: cannot reach the catalog at http://127.0.0.1:1")
                .doesNotContain("Exception");
    }

    @ParameterizedTest
    @CsvSource({"app frob", "app", "cluster add shop c1", "rollout create shop", "app list -o xml", "frob"})
    void usageErrorsExitTwo(String args) {
        assertThat(cli.run(args.split(" ")).exit()).isEqualTo(2);
    }

    @Test
    void theServerComesFromTheFlagThenTheEnvironmentThenTheConfigFile() throws Exception {
        java.nio.file.Path config = java.nio.file.Files.createTempFile("ringctl", ".conf");
        java.nio.file.Files.writeString(config, "server=http://127.0.0.1:2\n");
        Cli withFile = new Cli("").env("RINGCTL_CONFIG", config.toString());
        assertThat(withFile.run("app", "list").err()).contains("http://127.0.0.1:2");
        assertThat(cli.run("app", "list").err()).contains("http://127.0.0.1:1");
        assertThat(cli.run("app", "list", "--server", "http://127.0.0.1:3").err())
                .contains("http://127.0.0.1:3");
    }

    @Test
    void tablesAlignTheirColumns() {
        StringWriter s = new StringWriter();
        List<JsonNode> rows = List.of(
                Api.JSON.createObjectNode().put("name", "a").put("ring", 0),
                Api.JSON.createObjectNode().put("name", "a-much-longer-name").put("ring", 12));
        new Table().col("NAME", "name").col("RING", "ring").print(new PrintWriter(s), rows);
        String[] lines = s.toString().split("\n");
        assertThat(lines)
                .containsExactly("NAME                RING", "a                   0", "a-much-longer-name  12");
    }

    @ParameterizedTest
    @CsvSource({"15m, PT15M", "1h, PT1H", "90s, PT1M30S", "1h30m, PT1H30M", "PT2M, PT2M"})
    void durations(String given, String iso) {
        assertThat(RolloutCommand.isoDuration(given)).isEqualTo(iso);
    }

    @Test
    void completionIsABashScriptForEveryCommand() {
        Cli.Result r = cli.run("completion", "bash");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("complete -F")
                .contains("rollout")
                .contains("set-ring")
                .contains("deliveries");
        assertThat(cli.run("completion", "fish").exit()).isEqualTo(2);
    }
}
