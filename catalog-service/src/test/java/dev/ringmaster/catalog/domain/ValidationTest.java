package dev.ringmaster.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidationTest {

    static Stream<Arguments> cases() {
        BiConsumer<Validation, String> name = (v, s) -> v.name("f", s);
        BiConsumer<Validation, String> version = (v, s) -> v.version("f", s);
        BiConsumer<Validation, String> repo = (v, s) -> v.repoUrl("f", s);
        BiConsumer<Validation, String> branch = (v, s) -> v.branch("f", s);
        BiConsumer<Validation, String> path = (v, s) -> v.repoPath("f", s);
        BiConsumer<Validation, String> label = (v, s) -> v.labelKey("f", s);
        BiConsumer<Validation, String> pattern = (v, s) -> v.customizationPattern("f", s);
        BiConsumer<Validation, String> versionPath = (v, s) -> v.versionPath("f", s);
        return Stream.of(
                Arguments.of("name", name, "shop", true),
                Arguments.of("name", name, "shop-2", true),
                Arguments.of("name", name, "a".repeat(63), true),
                Arguments.of("name", name, "a".repeat(64), false),
                Arguments.of("name", name, "Shop", false),
                Arguments.of("name", name, "shöp", false),
                Arguments.of("name", name, "../etc", false),
                Arguments.of("name", name, "-shop", false),
                Arguments.of("name", name, "shop-", false),
                Arguments.of("name", name, "", false),
                Arguments.of("name", name, null, false),
                Arguments.of("version", version, "1.4.0", true),
                Arguments.of("version", version, "v1.4.0-rc.1_build", true),
                Arguments.of("version", version, "latest", true),
                Arguments.of("version", version, ".hidden", false),
                Arguments.of("version", version, "-1", false),
                Arguments.of("version", version, "1.0+meta", false),
                Arguments.of("version", version, "x".repeat(129), false),
                Arguments.of("repo", repo, "https://git.example.com/shop/web.git", true),
                Arguments.of("repo", repo, "ssh://git@git.example.com/shop/web.git", true),
                Arguments.of("repo", repo, "git@github.com:org/web.git", true),
                Arguments.of("repo", repo, "file:///srv/git/web.git", true),
                Arguments.of("repo", repo, "https://user:token@git.example.com/web.git", false),
                Arguments.of("repo", repo, "https://token@git.example.com/web.git", false),
                Arguments.of("repo", repo, "ssh://git:secret@git.example.com/web.git", false),
                Arguments.of("repo", repo, "ftp://git.example.com/web.git", false),
                Arguments.of("repo", repo, "not a url", false),
                Arguments.of("repo", repo, "https:///nohost", false),
                Arguments.of("branch", branch, "main", true),
                Arguments.of("branch", branch, "release/1.x", true),
                Arguments.of("branch", branch, "a..b", false),
                Arguments.of("branch", branch, "-x", false),
                Arguments.of("branch", branch, "x.lock", false),
                Arguments.of("branch", branch, "with space", false),
                Arguments.of("path", path, ".", true),
                Arguments.of("path", path, "deploy/fleet", true),
                Arguments.of("path", path, "../other", false),
                Arguments.of("path", path, "/abs", false),
                Arguments.of("path", path, "a/./b", false),
                Arguments.of("label", label, "ring", true),
                Arguments.of("label", label, "ringmaster.dev/ring", true),
                Arguments.of("label", label, "Bad Label", false),
                Arguments.of("label", label, "/ring", false),
                Arguments.of("pattern", pattern, "ring-{n}", true),
                Arguments.of("pattern", pattern, "wave{n}", true),
                Arguments.of("pattern", pattern, "ring", false),
                Arguments.of("pattern", pattern, "{n}-{n}", false),
                Arguments.of("pattern", pattern, "Ring-{n}", false),
                Arguments.of("versionPath", versionPath, "helm.values.image.tag", true),
                Arguments.of("versionPath", versionPath, "helm..tag", false),
                Arguments.of("versionPath", versionPath, "helm.values[0]", false));
    }

    @ParameterizedTest(name = "{0} {2} valid={3}")
    @MethodSource("cases")
    void grammar(String kind, BiConsumer<Validation, String> check, String value, boolean valid) {
        Validation v = new Validation();
        check.accept(v, value);
        assertThat(v.errors().isEmpty()).as("%s '%s' valid", kind, value).isEqualTo(valid);
    }

    @Test
    void ringsAreSmallNonNegativeIntegers() {
        assertThat(new Validation().ring("r", 0).errors()).isEmpty();
        assertThat(new Validation().ring("r", 999).errors()).isEmpty();
        assertThat(new Validation().ring("r", -1).errors()).hasSize(1);
        assertThat(new Validation().ring("r", 1000).errors()).hasSize(1);
        assertThat(new Validation().ring("r", null).errors()).hasSize(1);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Validation v = new Validation().name("name", "Bad").version("currentVersion", "-x");
        assertThatThrownBy(v::throwIfInvalid)
                .isInstanceOf(CatalogException.Invalid.class)
                .hasMessage("2 fields are invalid")
                .satisfies(e -> assertThat(((CatalogException) e).details().get("errors"))
                        .asList()
                        .hasSize(2));
    }
}
