package dev.ringmaster.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * Finds a real PostgreSQL server for tests and hands out clean schemas on it.
 *
 * <p>Where the server comes from, first match wins:
 *
 * <ol>
 *   <li>a configured JDBC URL: {@code RINGMASTER_TEST_JDBC_URL} (environment) or {@code dev.ringmaster.infra.jdbc-url}
 *       (system property), with {@code RINGMASTER_TEST_DB_USER} / {@code RINGMASTER_TEST_DB_PASSWORD};
 *   <li>a server on {@code 127.0.0.1:5432}, database, user and password {@code ringmaster} (what {@code .ci/run}
 *       sets up);
 *   <li>a Testcontainers PostgreSQL, where a Docker engine answers.
 * </ol>
 */
public final class TestPostgres {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/ringmaster";
    public static final String DEFAULT_USER = "ringmaster";
    public static final String DEFAULT_PASSWORD = "ringmaster";

    private static Server server;

    /** Where to connect: a JDBC URL without parameters, and the credentials. */
    public record Server(String jdbcUrl, String user, String password, String origin) {

        /** A new connection to the server's database (default schema). */
        public Connection connect() throws SQLException {
            Properties props = new Properties();
            props.setProperty("user", user);
            props.setProperty("password", password);
            props.setProperty("connectTimeout", "3");
            return DriverManager.getConnection(jdbcUrl, props);
        }

        /** The JDBC URL whose connections use {@code schema} by default. */
        public String urlFor(String schema) {
            return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }

        /** Creates a new, empty schema named after {@code prefix} and a random suffix; returns its name. */
        public String createSchema(String prefix) {
            String schema = ("t_" + prefix.replaceAll("[^A-Za-z0-9]", "_") + "_"
                            + UUID.randomUUID().toString().substring(0, 8))
                    .toLowerCase(Locale.ROOT);
            execute("CREATE SCHEMA " + schema);
            return schema;
        }

        /** Drops a schema and everything in it. */
        public void dropSchema(String schema) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }

        private void execute(String sql) {
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("error running '" + sql + "' on " + jdbcUrl + ": " + e.getMessage(), e);
            }
        }
    }

    /** The server for this JVM, located on first use. */
    public static synchronized Server server() {
        if (server == null) {
            server = locate();
        }
        return server;
    }

    private static Server locate() {
        List<String> tried = new ArrayList<>();
        String url = setting("RINGMASTER_TEST_JDBC_URL", "dev.ringmaster.infra.jdbc-url", null);
        String user = setting("RINGMASTER_TEST_DB_USER", "dev.ringmaster.infra.db-user", DEFAULT_USER);
        String password = setting("RINGMASTER_TEST_DB_PASSWORD", "dev.ringmaster.infra.db-password", DEFAULT_PASSWORD);
        if (url != null) {
            Server configured = new Server(url, user, password, "configured");
            String problem = probe(configured);
            if (problem != null) {
                throw new IllegalStateException("the configured test database " + url + " does not answer: " + problem);
            }
            return configured;
        }
        Server local = new Server(DEFAULT_URL, user, password, "local server");
        String problem = probe(local);
        if (problem == null) {
            return local;
        }
        tried.add(DEFAULT_URL + ": " + problem);
        Server container = Containers.postgres(tried);
        if (container != null) {
            return container;
        }
        throw new IllegalStateException("no PostgreSQL for tests. Tried: " + String.join("; ", tried)
                + ". Start one (bash .ci/run does), set RINGMASTER_TEST_JDBC_URL, or run a Docker engine.");
    }

    private static String probe(Server s) {
        try (Connection c = s.connect()) {
            return c.isValid(3) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static String setting(String env, String property, String fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    private TestPostgres() {}
}
