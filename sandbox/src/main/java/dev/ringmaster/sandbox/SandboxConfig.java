package dev.ringmaster.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the sandbox runs and on which ports.
 *
 * @param home the repository root (the services' jars are {@code <module>/target/quarkus-app/quarkus-run.jar})
 * @param dir the sandbox's folder: {@code logs/} and {@code run/} (data of this run) under it
 * @param dbUrl a PostgreSQL server to use (a JDBC URL to a database); null for the embedded one
 * @param schemaPrefix prepended to each service's schema (to share a server)
 * @param clusters simulated Fleet clusters, {@code cluster-000}.., spread over {@code rings} rings
 * @param fleetPoll how often the simulated Fleet polls the Git repositories
 */
public record SandboxConfig(
        Path home,
        Path dir,
        Ports ports,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String schemaPrefix,
        boolean dropSchemasOnClose,
        int clusters,
        int rings,
        Duration fleetPoll,
        String gitUser,
        String gitPassword) {

    /** Every port the sandbox listens on. */
    public record Ports(
            int kafka,
            int kafkaController,
            int postgres,
            int git,
            int fleet,
            int catalog,
            int orchestrator,
            int committer,
            int watcher,
            int notifier) {

        /** The documented defaults: the services on 8080-8084 as in production. */
        public static Ports defaults() {
            return new Ports(9092, 9093, 5433, 8090, 6443, 8080, 8081, 8082, 8083, 8084);
        }

        /**
         * Ten different free ports (tests). All ten sockets stay open until all are chosen: a port closed at once may
         * be handed out again by the next call (it was: Kafka and the orchestrator got the same one).
         */
        public static Ports free() {
            List<ServerSocket> held = new ArrayList<>();
            try {
                int[] p = new int[10];
                for (int i = 0; i < p.length; i++) {
                    ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    held.add(s);
                    p[i] = s.getLocalPort();
                }
                return new Ports(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                for (ServerSocket s : held) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a listening socket we opened: nothing to do
                    }
                }
            }
        }
    }

    public static SandboxConfig defaults(Path home) {
        return new SandboxConfig(
                home,
                home.resolve(".sandbox"),
                Ports.defaults(),
                null,
                null,
                null,
                "",
                false,
                30,
                3,
                Duration.ofSeconds(1),
                "ringmaster",
                "ringmaster");
    }

    public SandboxConfig withDir(Path d) {
        return new SandboxConfig(
                home,
                d,
                ports,
                dbUrl,
                dbUser,
                dbPassword,
                schemaPrefix,
                dropSchemasOnClose,
                clusters,
                rings,
                fleetPoll,
                gitUser,
                gitPassword);
    }

    public SandboxConfig withPorts(Ports p) {
        return new SandboxConfig(
                home,
                dir,
                p,
                dbUrl,
                dbUser,
                dbPassword,
                schemaPrefix,
                dropSchemasOnClose,
                clusters,
                rings,
                fleetPoll,
                gitUser,
                gitPassword);
    }

    public SandboxConfig withDatabase(String url, String user, String password, String prefix, boolean drop) {
        return new SandboxConfig(
                home, dir, ports, url, user, password, prefix, drop, clusters, rings, fleetPoll, gitUser, gitPassword);
    }

    public SandboxConfig withFleetPoll(Duration poll) {
        return new SandboxConfig(
                home,
                dir,
                ports,
                dbUrl,
                dbUser,
                dbPassword,
                schemaPrefix,
                dropSchemasOnClose,
                clusters,
                rings,
                poll,
                gitUser,
                gitPassword);
    }

    public SandboxConfig withClusters(int n, int r) {
        return new SandboxConfig(
                home,
                dir,
                ports,
                dbUrl,
                dbUser,
                dbPassword,
                schemaPrefix,
                dropSchemasOnClose,
                n,
                r,
                fleetPoll,
                gitUser,
                gitPassword);
    }
}
