package dev.ringmaster.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHttpServerTest {

    @TempDir
    Path tmp;

    @Test
    void cloneAndPushOverSmartHttpWithBasicAuth() throws Exception {
        try (GitHttpServer server = GitHttpServer.start(tmp.resolve("repos"), "alice", "s3cret")) {
            String url = server.createRepository("web", "main", Map.of("fleet.yaml", "helm: {chart: ./chart}\n"));
            String authed = url.replace("http://", "http://alice:s3cret@");
            Path clone = tmp.resolve("clone");
            GitHttpServer.git(tmp, "clone", "-q", authed, clone.toString());
            assertThat(Files.readString(clone.resolve("fleet.yaml"))).isEqualTo("helm: {chart: ./chart}\n");

            Files.writeString(clone.resolve("fleet.yaml"), "helm: {chart: ./other}\n");
            GitHttpServer.git(clone, "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-qam", "change");
            GitHttpServer.git(clone, "push", "-q", "origin", "main");
            assertThat(server.pushes()).isEqualTo(1);
            assertThat(GitHttpServer.git(server.repository("web"), "log", "--format=%s", "main"))
                    .isEqualTo("change\nInitial commit\n");

            String wrong = url.replace("http://", "http://alice:wrong@");
            assertThatThrownBy(() -> GitHttpServer.git(tmp, "-c", "credential.helper=", "ls-remote", wrong))
                    .hasMessageContaining("Authentication failed");
        }
    }
}
