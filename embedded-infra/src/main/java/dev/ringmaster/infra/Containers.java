package dev.ringmaster.infra;

import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The Testcontainers fallback, for machines with a Docker engine and no PostgreSQL of their own. */
final class Containers {

    private static PostgreSQLContainer postgres;

    static synchronized TestPostgres.Server postgres(List<String> tried) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (!docker) {
            tried.add("Testcontainers: no Docker engine answers");
            return null;
        }
        if (postgres == null) {
            postgres = new PostgreSQLContainer("postgres:15-alpine")
                    .withDatabaseName("ringmaster")
                    .withUsername(TestPostgres.DEFAULT_USER)
                    .withPassword(TestPostgres.DEFAULT_PASSWORD);
            postgres.start();
        }
        return new TestPostgres.Server(
                postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(), "Testcontainers");
    }

    private Containers() {}
}
