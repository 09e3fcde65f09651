package dev.ringmaster.gitcommitter.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialsTest {

    @ParameterizedTest
    @CsvSource({
        "https://github.com/org/web.git, github.com",
        "ssh://git@git.example.com:2222/org/web.git, git.example.com",
        "git@github.com:org/web.git, github.com",
        "file:///srv/git/web.git, ''",
    })
    void credentialsAreChosenByHost(String url, String host) {
        assertThat(Credentials.host(url)).isEqualTo(host.isEmpty() ? null : host);
    }
}
