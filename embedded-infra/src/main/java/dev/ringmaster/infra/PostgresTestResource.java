package dev.ringmaster.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} class a clean schema of its own on a real PostgreSQL ({@link TestPostgres}): the
 * datasource's connections use it, Flyway migrates it, and it is dropped when the class ends (kept when
 * {@code RINGMASTER_TEST_KEEP_SCHEMAS=true}, to look at after a failure).
 *
 * <p>Use it restricted to the annotated class, so that every class starts on an empty schema.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private TestPostgres.Server server;
    private String schema;

    @Override
    public Map<String, String> start() {
        server = TestPostgres.server();
        schema = server.createSchema("q");
        return Map.of(
                "quarkus.datasource.jdbc.url", server.urlFor(schema),
                "quarkus.datasource.username", server.user(),
                "quarkus.datasource.password", server.password(),
                "quarkus.flyway.schemas", schema,
                "quarkus.flyway.default-schema", schema);
    }

    @Override
    public void stop() {
        if (schema != null && !"true".equals(System.getenv("RINGMASTER_TEST_KEEP_SCHEMAS"))) {
            server.dropSchema(schema);
        }
    }
}
