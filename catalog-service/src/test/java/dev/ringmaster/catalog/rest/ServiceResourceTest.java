package dev.ringmaster.catalog.rest;

import static dev.ringmaster.catalog.support.Api.createApp;
import static dev.ringmaster.catalog.support.Api.createService;
import static dev.ringmaster.catalog.support.Api.delete;
import static dev.ringmaster.catalog.support.Api.get;
import static dev.ringmaster.catalog.support.Api.post;
import static dev.ringmaster.catalog.support.Api.put;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ServiceResourceTest {

    @Test
    void createTakesEveryFieldAndDefaultsTheOptionalOnes() {
        createApp("svc-create");
        post(
                        "/applications/svc-create/services",
                        Map.of(
                                "name", "web",
                                "repoUrl", "https://git.example.com/shop/web.git",
                                "currentVersion", "1.4.0"))
                .statusCode(201)
                .header("Location", endsWith("/applications/svc-create/services/web"))
                .body("application", equalTo("svc-create"))
                .body("branch", equalTo("main"))
                .body("path", equalTo("."))
                .body("versionPath", equalTo("helm.values.image.tag"))
                .body("currentVersion", equalTo("1.4.0"))
                .body("plannedVersion", nullValue())
                .body("dependsOn", empty());
        post(
                        "/applications/svc-create/services",
                        Map.of(
                                "name", "api",
                                "repoUrl", "git@github.com:shop/api.git",
                                "branch", "release/2.x",
                                "path", "deploy/fleet",
                                "versionPath", "helm.values.api.image.tag",
                                "currentVersion", "v2.0.0",
                                "dependsOn", List.of()))
                .statusCode(201)
                .body("branch", equalTo("release/2.x"))
                .body("path", equalTo("deploy/fleet"))
                .body("versionPath", equalTo("helm.values.api.image.tag"));
        get("/applications/svc-create/services/api").statusCode(200).body("currentVersion", equalTo("v2.0.0"));
        get("/applications/svc-create/services").body("name", contains("api", "web"));
    }

    @Test
    void aTakenNameIsAConflictAndAnUnknownOneIs404() {
        createApp("svc-dup");
        createService("svc-dup", "web");
        post(
                        "/applications/svc-dup/services",
                        Map.of("name", "web", "repoUrl", "https://g.example.com/x.git", "currentVersion", "1"))
                .statusCode(409)
                .body("service", equalTo("web"));
        get("/applications/svc-dup/services/nope").statusCode(404);
        get("/applications/no-app/services").statusCode(404);
    }

    @Test
    void listAcrossAllApplications() {
        createApp("svc-all-a");
        createApp("svc-all-b");
        createService("svc-all-a", "one");
        createService("svc-all-b", "two");
        get("/services")
                .statusCode(200)
                .body("findAll { it.application.startsWith('svc-all-') }.name", contains("one", "two"))
                .body(
                        "findAll { it.application.startsWith('svc-all-') }.application",
                        contains("svc-all-a", "svc-all-b"));
    }

    @Test
    void aCycleIsRefusedWithItsPathAndNothingChanges() {
        createApp("cyc");
        createService("cyc", "a");
        createService("cyc", "b", "a");
        createService("cyc", "c", "b");
        // a -> c would close a -> c -> b -> a
        put("/applications/cyc/services/a/dependencies", Map.of("dependsOn", List.of("c")))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("cycle", contains("a", "c", "b", "a"))
                .body("detail", equalTo("dependency cycle: a -> c -> b -> a"));
        get("/applications/cyc/services/a").body("dependsOn", empty());
        get("/applications/cyc/map").body("layers", equalTo(List.of(List.of("a"), List.of("b"), List.of("c"))));
    }

    @Test
    void selfDependencyAndUnknownDependenciesAreRefused() {
        createApp("deps");
        createService("deps", "a");
        put("/applications/deps/services/a/dependencies", Map.of("dependsOn", List.of("a")))
                .statusCode(422)
                .body("cycle", contains("a", "a"));
        put("/applications/deps/services/a/dependencies", Map.of("dependsOn", List.of("ghost", "spook")))
                .statusCode(422)
                .body("unknownServices", contains("ghost", "spook"));
        post(
                        "/applications/deps/services",
                        Map.of(
                                "name", "b",
                                "repoUrl", "https://g.example.com/b.git",
                                "currentVersion", "1",
                                "dependsOn", List.of("ghost")))
                .statusCode(422)
                .body("unknownServices", contains("ghost"));
        get("/applications/deps/services").body("name", contains("a"));
    }

    @Test
    void dependenciesAreReplacedWhole() {
        createApp("repl");
        createService("repl", "a");
        createService("repl", "b");
        createService("repl", "c", "a");
        put("/applications/repl/services/c/dependencies", Map.of("dependsOn", List.of("b", "a")))
                .statusCode(200)
                .body("dependsOn", contains("a", "b"));
        put("/applications/repl/services/c/dependencies", Map.of("dependsOn", List.of("b")))
                .statusCode(200)
                .body("dependsOn", contains("b"));
        get("/applications/repl/services/a").body("dependents", empty());
        get("/applications/repl/services/b").body("dependents", contains("c"));
        put("/applications/repl/services/c/dependencies", Map.of("dependsOn", List.of()))
                .statusCode(200)
                .body("dependsOn", empty());
    }

    @Test
    void theRolloutPlanIsSetAndCleared() {
        createApp("plan");
        createService("plan", "web");
        put("/applications/plan/services/web/plan", Map.of("version", "1.5.0"))
                .statusCode(200)
                .body("plannedVersion", equalTo("1.5.0"))
                .body("currentVersion", equalTo("1.0.0"));
        get("/applications/plan/services/web").body("plannedVersion", equalTo("1.5.0"));
        put("/applications/plan/services/web/plan", Map.of("version", "not a tag"))
                .statusCode(422);
        get("/applications/plan/services/web").body("plannedVersion", equalTo("1.5.0"));
        delete("/applications/plan/services/web/plan").statusCode(200).body("plannedVersion", nullValue());
        put("/applications/plan/services/nope/plan", Map.of("version", "1.5.0")).statusCode(404);
    }

    @Test
    void aDependedOnServiceCannotBeDeletedAndTheDependentsAreNamed() {
        createApp("del");
        createService("del", "db");
        createService("del", "api", "db");
        createService("del", "worker", "db");
        delete("/applications/del/services/db")
                .statusCode(409)
                .body("dependents", contains("api", "worker"))
                .body("detail", equalTo("service 'db' cannot be deleted: api, worker depend on it"));
        get("/applications/del/services").body("name", hasItems("api", "db", "worker"));
        delete("/applications/del/services/api").statusCode(204);
        delete("/applications/del/services/worker").statusCode(204);
        delete("/applications/del/services/db").statusCode(204);
        get("/applications/del/services").body("", empty());
        delete("/applications/del/services/db").statusCode(404);
    }
}
