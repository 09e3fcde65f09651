package dev.ringmaster.catalog.rest;

import static dev.ringmaster.catalog.support.Api.BASE;
import static dev.ringmaster.catalog.support.Api.addCluster;
import static dev.ringmaster.catalog.support.Api.createApp;
import static dev.ringmaster.catalog.support.Api.createService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input gets a 4xx problem+json and changes nothing: the database (every table, the outbox and the identity
 * sequences) is the same before and after.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BadInputTest {

    private static final String TWO_MIB = "{\"name\":\"big\",\"description\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    private static final String SVC = "\"repoUrl\":\"https://g.example.com/r.git\",\"currentVersion\":\"1.0\"";

    @Inject
    DataSource dataSource;

    @BeforeEach
    void someState() {
        if (given().get(BASE + "/applications/base").statusCode() == 404) {
            createApp("base");
            createService("base", "db");
            createService("base", "api", "db");
            addCluster("base", "c1", 0);
        }
        // The relay publishes and deletes outbox rows on its own: let it finish before taking the "before" dump.
        await().atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> outboxRows() == 0);
    }

    private long outboxRows() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // malformed JSON and wrong shapes: 400
                Arguments.of("POST", "/applications", "{\"name\": \"x\"", 400),
                Arguments.of("POST", "/applications", "not json at all", 400),
                Arguments.of("POST", "/applications", "[\"name\"]", 400),
                Arguments.of("POST", "/applications", "{\"name\":\"ok\"} trailing", 400),
                Arguments.of("POST", "/applications", "", 400),
                Arguments.of("POST", "/applications", "null", 400),
                Arguments.of("POST", "/applications", "{\"name\": 5}", 400),
                Arguments.of("POST", "/applications", "{\"name\": [\"a\"]}", 400),
                Arguments.of("POST", "/applications", "{\"name\":\"ok\",\"colour\":\"red\"}", 400),
                Arguments.of("POST", "/applications/base/clusters", "{\"name\":\"c9\",\"ring\":\"1\"}", 400),
                Arguments.of("POST", "/applications/base/clusters", "{\"name\":\"c9\",\"ring\":1.5}", 400),
                Arguments.of("POST", "/applications/base/clusters", "{\"name\":\"c9\",\"ring\":true}", 400),
                Arguments.of(
                        "POST",
                        "/applications/base/services",
                        "{\"name\":\"s\"," + SVC + ",\"dependsOn\":\"db\"}",
                        400),
                Arguments.of("PUT", "/applications/base/services/api/dependencies", "{}", 400),
                Arguments.of("PUT", "/applications/base/services/api/plan", "{}", 400),
                Arguments.of("PUT", "/applications/base/clusters/c1/ring", "{\"ring\":\"zero\"}", 400),
                // too large: 413
                Arguments.of("POST", "/applications", TWO_MIB, 413),
                Arguments.of("POST", "/subscriptions", "{\"name\":\"s\",\"url\":5}", 400),
                Arguments.of("POST", "/subscriptions", "{\"name\":\"s\",\"url\":\"https://e.com\",\"x\":1}", 400),
                Arguments.of("POST", "/subscriptions", "{\"name\":\"s\",\"url\":\"gopher://e.com\"}", 422),
                Arguments.of("POST", "/subscriptions", "{\"name\":\"s\",\"url\":\"http://[::ffff:10.0.0.1]/\"}", 422),
                Arguments.of(
                        "POST", "/subscriptions", "{\"name\":\"s\",\"url\":\"https://e.com\",\"events\":[\"\"]}", 422),
                Arguments.of("POST", "/subscriptions/none/rotate-secret", "{\"graceSeconds\":\"x\"}", 400),
                // bad names, versions, URLs: 422
                Arguments.of("POST", "/applications", "{\"name\":\"Shop\"}", 422),
                Arguments.of("POST", "/applications", "{\"name\":\"shöp\"}", 422),
                Arguments.of("POST", "/applications", "{\"name\":\"../etc\"}", 422),
                Arguments.of("POST", "/applications", "{\"name\":\"a/b\"}", 422),
                Arguments.of("POST", "/applications", "{\"name\":\"\"}", 422),
                Arguments.of("POST", "/applications", "{}", 422),
                Arguments.of("POST", "/applications", "{\"name\":\"x\",\"customizationPattern\":\"ring\"}", 422),
                Arguments.of("POST", "/applications", "{\"name\":\"x\",\"ringLabel\":\"a b\"}", 422),
                Arguments.of("POST", "/applications/base/services", "{\"name\":\"Web\"," + SVC + "}", 422),
                Arguments.of(
                        "POST",
                        "/applications/base/services",
                        "{\"name\":\"w\",\"repoUrl\":"
                                + "\"https://u:token@g.example.com/r.git\",\"currentVersion\":\"1\"}",
                        422),
                Arguments.of(
                        "POST",
                        "/applications/base/services",
                        "{\"name\":\"w\",\"repoUrl\":" + "\"https://g.example.com/r.git\",\"currentVersion\":\"-1\"}",
                        422),
                Arguments.of(
                        "POST", "/applications/base/services", "{\"name\":\"w\"," + SVC + ",\"path\":\"../x\"}", 422),
                Arguments.of(
                        "POST", "/applications/base/services", "{\"name\":\"w\"," + SVC + ",\"branch\":\"a..b\"}", 422),
                Arguments.of("POST", "/applications/base/clusters", "{\"name\":\"c\u00e9\",\"ring\":0}", 422),
                Arguments.of("POST", "/applications/base/clusters", "{\"name\":\"c9\",\"ring\":-1}", 422),
                Arguments.of("POST", "/applications/base/clusters", "{\"name\":\"c9\",\"ring\":100000}", 422),
                Arguments.of("PUT", "/applications/base/services/api/plan", "{\"version\":\"1.0 beta\"}", 422),
                // unknown references: 422 in a body, 404 in a path
                Arguments.of(
                        "POST",
                        "/applications/base/services",
                        "{\"name\":\"w\"," + SVC + ",\"dependsOn\":[\"ghost\"]}",
                        422),
                Arguments.of("PUT", "/applications/base/services/api/dependencies", "{\"dependsOn\":[\"ghost\"]}", 422),
                Arguments.of("PUT", "/applications/base/services/db/dependencies", "{\"dependsOn\":[\"api\"]}", 422),
                Arguments.of("POST", "/applications/ghost/services", "{\"name\":\"w\"," + SVC + "}", 404),
                Arguments.of("POST", "/applications/ghost/clusters", "{\"name\":\"c9\",\"ring\":0}", 404),
                Arguments.of("PUT", "/applications/base/services/ghost/plan", "{\"version\":\"1\"}", 404),
                Arguments.of("PUT", "/applications/base/clusters/ghost/ring", "{\"ring\":1}", 404),
                Arguments.of("DELETE", "/applications/base/clusters/ghost", null, 404),
                Arguments.of("GET", "/no/such/route", null, 404),
                // conflicts: 409
                Arguments.of("POST", "/applications", "{\"name\":\"base\"}", 409),
                Arguments.of("POST", "/applications/base/services", "{\"name\":\"db\"," + SVC + "}", 409),
                Arguments.of("DELETE", "/applications/base/services/db", null, 409),
                // wrong method: 405
                Arguments.of("PATCH", "/applications/base", "{}", 405));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("badRequests")
    void refusedWithAProblemAndNothingChanges(String method, String path, String body, int status) throws Exception {
        String before = dump();
        var request = given().contentType("application/json");
        if (body != null) {
            request = request.body(body);
        }
        request.when()
                .request(method, BASE + path)
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", not(emptyOrNullString()))
                .body("detail", not(emptyOrNullString()))
                .body("type", not(emptyOrNullString()));
        assertThat(dump()).isEqualTo(before);
    }

    /** Every endpoint that takes a body. */
    static Stream<String> postPaths() {
        return Stream.of(
                "/applications",
                "/applications/base/services",
                "/applications/base/clusters",
                "/applications/base/rollouts");
    }

    @ParameterizedTest(name = "wrong content type on {0}")
    @MethodSource("postPaths")
    void aBodyThatIsNotJsonIsRefused(String path) throws Exception {
        String before = dump();
        given().contentType("text/plain")
                .body("name=x")
                .post(BASE + path)
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        assertThat(dump()).isEqualTo(before);
    }

    /** Every row of every table of the schema, and every sequence's position, as text. */
    private String dump() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() ORDER BY table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("application", "service", "cluster", "outbox");
            for (String t : tables) {
                out.append("== ").append(t).append('\n');
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + t + " ORDER BY 1, 2")) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            out.append(rs.getString(i)).append('|');
                        }
                        out.append('\n');
                    }
                }
            }
            List<String> sequences = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT sequence_name FROM information_schema.sequences"
                    + " WHERE sequence_schema = current_schema() ORDER BY 1")) {
                while (rs.next()) {
                    sequences.add(rs.getString(1));
                }
            }
            for (String seq : sequences) {
                try (ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM " + seq)) {
                    rs.next();
                    out.append("seq ")
                            .append(seq)
                            .append('=')
                            .append(rs.getLong(1))
                            .append(rs.getBoolean(2));
                }
            }
        }
        return out.toString();
    }
}
