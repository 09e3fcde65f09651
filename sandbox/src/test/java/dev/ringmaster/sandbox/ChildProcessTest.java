package dev.ringmaster.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process that fails to start is named, with its log and the log's last lines. */
class ChildProcessTest {

    @TempDir
    Path tmp;

    @Test
    void aFailedStartNamesTheProcessAndItsLog() {
        ChildProcess p = ChildProcess.java(
                "broken-service", List.of("-jar", tmp.resolve("missing.jar").toString()), List.of(), Map.of(), tmp);
        assertThatThrownBy(() -> p.awaitReady(() -> false, Duration.ofSeconds(30)))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("broken-service exited with status 1 while starting")
                .hasMessageContaining(tmp.resolve("broken-service.log").toString())
                .hasMessageContaining("Unable to access jarfile");
        assertThat(Files.exists(tmp.resolve("broken-service.log"))).isTrue();
    }

    @Test
    void closeStopsAProcessThatRuns() throws Exception {
        Path main = tmp.resolve("Sleeper.java");
        Files.writeString(
                main,
                "class Sleeper { public static void main(String[] a) throws Exception {"
                        + " System.out.println(\"up\"); Thread.sleep(600_000); } }");
        ChildProcess p = ChildProcess.java("sleeper", List.of(), List.of(main.toString()), Map.of(), tmp);
        p.awaitReady(
                () -> {
                    try {
                        return Files.readString(p.log).contains("up");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                },
                Duration.ofSeconds(30));
        p.close();
        assertThat(p.process.isAlive()).isFalse();
    }
}
