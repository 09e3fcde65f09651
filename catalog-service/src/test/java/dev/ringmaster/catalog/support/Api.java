package dev.ringmaster.catalog.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;

/** Short requests for tests, so that each test reads as the story it tells. */
public final class Api {

    public static final String BASE = "/api/v1";

    public static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(BASE + path)
                .then();
    }

    public static ValidatableResponse put(String path, Object body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .put(BASE + path)
                .then();
    }

    public static ValidatableResponse get(String path) {
        return given().when().get(BASE + path).then();
    }

    public static ValidatableResponse delete(String path) {
        return given().when().delete(BASE + path).then();
    }

    public static void createApp(String app) {
        post("/applications", Map.of("name", app)).statusCode(201);
    }

    public static void createService(String app, String service, String... dependsOn) {
        post(
                        "/applications/" + app + "/services",
                        Map.of(
                                "name",
                                service,
                                "repoUrl",
                                "https://git.example.com/" + app + "/" + service + ".git",
                                "currentVersion",
                                "1.0.0",
                                "dependsOn",
                                List.of(dependsOn)))
                .statusCode(201);
    }

    public static void addCluster(String app, String cluster, int ring) {
        post("/applications/" + app + "/clusters", Map.of("name", cluster, "ring", ring))
                .statusCode(201);
    }

    private Api() {}
}
