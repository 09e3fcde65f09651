package dev.ringmaster.sandbox;

import dev.ringmaster.fleetsim.FleetSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The whole system on one machine: Kafka (KRaft, its own JVM), PostgreSQL (embedded or given), a Git server over
 * smart HTTP with the sample repositories, the Fleet simulator with its clusters on rings, and the five services as
 * separate JVMs from their packaged jars, configured to find each other. {@link #close()} stops everything it
 * started.
 */
public final class Sandbox implements AutoCloseable {

    /** The services, in the order they are listed. */
    public static final List<String> SERVICES =
            List.of("catalog-service", "rollout-orchestrator", "git-committer", "fleet-watcher", "notifier");

    private final SandboxConfig config;
    private final Path run;
    private final Path logs;
    private KafkaBroker kafka;
    private Database db;
    private GitServer git;
    private FleetSimulator fleet;
    private final Map<String, ChildProcess> services = new LinkedHashMap<>();
    private volatile boolean closed;
    private final Map<String, Duration> startup = new java.util.concurrent.ConcurrentHashMap<>();

    private Sandbox(SandboxConfig config) {
        this.config = config;
        this.run = config.dir().resolve("run");
        this.logs = config.dir().resolve("logs");
    }

    /** Starts everything; on a failure, stops what did start and throws a message naming the culprit and its log. */
    public static Sandbox start(SandboxConfig config, PrintStream progress) {
        Sandbox s = prepare(config);
        s.boot(progress);
        return s;
    }

    /** A sandbox not started yet: register its {@link #close()} (e.g. as a shutdown hook), then {@link #boot}. */
    public static Sandbox prepare(SandboxConfig config) {
        Sandbox s = new Sandbox(config);
        // A JVM that is told to stop (Ctrl-C, SIGTERM) stops what the sandbox started; close() runs once.
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "sandbox-stop"));
        return s;
    }

    /** Starts everything; on a failure, stops what did start and throws a message naming the culprit and its log. */
    public void boot(PrintStream progress) {
        try {
            startAll(progress);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startAll(PrintStream progress) {
        for (String svc : SERVICES) {
            Path jar = jar(svc);
            if (!Files.isRegularFile(jar)) {
                throw new SandboxException(
                        svc + " is not built: " + jar + " is missing (run ./mvnw package -DskipTests)");
            }
        }
        Pids.killLeftovers(config.dir(), progress);
        GitServer.deleteTree(run);
        GitServer.deleteTree(logs);
        try {
            Files.createDirectories(run);
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new SandboxException("cannot create " + run + ": " + e.getMessage());
        }
        SandboxConfig.Ports p = config.ports();
        progress.println("starting Kafka (KRaft) and PostgreSQL ...");
        CompletableFuture<KafkaBroker> k = CompletableFuture.supplyAsync(() -> KafkaBroker.start(
                run.resolve("kafka"), p.kafka(), p.kafkaController(), logs, System.getProperty("java.class.path")));
        CompletableFuture<Database> d = CompletableFuture.supplyAsync(() -> config.dbUrl() == null
                ? Database.embedded(run.resolve("postgres"), p.postgres())
                : Database.external(
                        config.dbUrl(),
                        config.dbUser(),
                        config.dbPassword(),
                        config.schemaPrefix(),
                        config.dropSchemasOnClose()));
        git = GitServer.start(run.resolve("git"), p.git(), config.gitUser(), config.gitPassword());
        SampleApp.SERVICES
                .keySet()
                .forEach(svc -> git.createRepository(svc, "main", SampleApp.files(svc, config.rings())));
        fleet = FleetSimulator.start(
                new FleetSimulator.Config(
                        "fleet-default",
                        config.fleetPoll(),
                        Duration.ZERO,
                        Duration.ZERO,
                        run.resolve("fleet-git"),
                        config.gitUser(),
                        config.gitPassword()),
                p.fleet());
        for (int i = 0; i < config.clusters(); i++) {
            fleet.addCluster(clusterName(i), Map.of("ring", String.valueOf(i % config.rings())));
        }
        fleet.runInBackground();
        kafka = join(k);
        db = join(d);
        stopIfClosed();
        Pids.record(config.dir(), kafka.pid());
        progress.println("starting the services: " + String.join(", ", SERVICES) + " ...");
        Map<String, Map<String, String>> env = environments();
        Map<String, Integer> ports = Map.of(
                "catalog-service", p.catalog(),
                "rollout-orchestrator", p.orchestrator(),
                "git-committer", p.committer(),
                "fleet-watcher", p.watcher(),
                "notifier", p.notifier());
        for (String svc : SERVICES) {
            stopIfClosed();
            Map<String, String> e = new LinkedHashMap<>(env.get(svc));
            e.put("QUARKUS_HTTP_PORT", String.valueOf(ports.get(svc)));
            List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC"));
            jvm.addAll(extraJvmOptions(svc));
            jvm.addAll(List.of("-jar", jar(svc).toString()));
            ChildProcess c = ChildProcess.java(svc, jvm, List.of(), e, logs);
            synchronized (this) {
                services.put(svc, c);
                if (closed) {
                    c.close();
                }
            }
            Pids.record(config.dir(), c.pid());
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (String svc : SERVICES) {
            String url = "http://127.0.0.1:" + ports.get(svc) + "/q/health/ready";
            long started = System.nanoTime();
            ready.add(CompletableFuture.runAsync(() -> {
                services.get(svc).awaitReady(() -> ChildProcess.answers200(url), Duration.ofSeconds(180));
                startup.put(svc, Duration.ofNanos(System.nanoTime() - started));
            }));
        }
        ready.forEach(Sandbox::join);
    }

    private void stopIfClosed() {
        if (closed) {
            throw new SandboxException("stopped while starting");
        }
    }

    private Map<String, Map<String, String>> environments() {
        Map<String, Map<String, String>> env = new LinkedHashMap<>();
        String bootstrap = kafka.bootstrapServers();
        env.put(
                "catalog-service",
                withDb(
                        "catalog",
                        Map.of(
                                "RINGMASTER_NOTIFIER_URL",
                                "http://127.0.0.1:" + config.ports().notifier(),
                                "RINGMASTER_TARGETS_ALLOW_LOOPBACK",
                                "true")));
        env.put("rollout-orchestrator", withDb("orchestrator", Map.of()));
        env.put(
                "git-committer",
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                        "RINGMASTER_GIT_WORKDIR", run.resolve("git-committer").toString(),
                        "RINGMASTER_GIT_USERNAME", config.gitUser(),
                        "RINGMASTER_GIT_PASSWORD", config.gitPassword()));
        env.put(
                "fleet-watcher",
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                        "RINGMASTER_FLEET_API_URL", fleet.apiUrl(),
                        "RINGMASTER_GIT_CACHE", run.resolve("fleet-watcher-git").toString(),
                        "RINGMASTER_GIT_USERNAME", config.gitUser(),
                        "RINGMASTER_GIT_PASSWORD", config.gitPassword()));
        env.put(
                "notifier",
                withDb(
                        "notifier",
                        Map.of("RINGMASTER_TARGETS_ALLOW_LOOPBACK", "true", "RINGMASTER_CONSOLE_URL", catalogUrl())));
        return env;
    }

    private Map<String, String> withDb(String service, Map<String, String> extra) {
        String schema = db.schema(service);
        Map<String, String> e = new LinkedHashMap<>(extra);
        e.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        e.put("RINGMASTER_DB_URL", db.url(schema));
        e.put("RINGMASTER_DB_USER", db.user());
        e.put("RINGMASTER_DB_PASSWORD", db.password());
        e.put("RINGMASTER_DB_SCHEMA", schema);
        return e;
    }

    private Path jar(String service) {
        return config.home().resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    static String clusterName(int i) {
        return String.format("cluster-%03d", i);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public String catalogUrl() {
        return "http://127.0.0.1:" + config.ports().catalog();
    }

    /** A new connection to the sandbox's PostgreSQL database (every service's schema is in it), e.g. for a benchmark. */
    public java.sql.Connection connectToDatabase() throws java.sql.SQLException {
        return db.connect();
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public FleetSimulator fleet() {
        return fleet;
    }

    public String gitUrl(String repo) {
        return git.url(repo);
    }

    public Path gitRepository(String repo) {
        return run.resolve("git").resolve(repo + ".git");
    }

    /** How long each service took from its process start to ready (all started together). */
    public Map<String, Duration> startupTimes() {
        return Map.copyOf(startup);
    }

    /** The process id of each service. */
    public Map<String, Long> servicePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        services.forEach((name, c) -> pids.put(name, c.pid()));
        return pids;
    }

    /** Creates a repository on the sandbox's Git server (unless it exists); returns its URL. */
    public String createRepository(String name, Map<String, String> files) {
        return git.createRepository(name, "main", files);
    }

    public Path logs() {
        return logs;
    }

    public SandboxConfig config() {
        return config;
    }

    /** What a person needs to know, one line each. */
    public String addresses() {
        SandboxConfig.Ports p = config.ports();
        return String.join(
                "\n",
                "  API             " + catalogUrl() + "/api/v1   (ringctl's default server)",
                "  Swagger UI      " + catalogUrl() + "/q/swagger-ui",
                "  OpenAPI         " + catalogUrl() + "/q/openapi",
                "  services        "
                        + SERVICES.stream().map(s -> s + " :" + port(s, p)).collect(Collectors.joining(", ")),
                "  Kafka           " + kafka.bootstrapServers(),
                "  PostgreSQL      " + db.describe(),
                "  Git (smart HTTP) http://127.0.0.1:" + git.port() + "/git/<repo>.git  user " + config.gitUser()
                        + ", password " + config.gitPassword() + "; repos: "
                        + String.join(", ", SampleApp.SERVICES.keySet()),
                "  Fleet (sim)     " + fleet.apiUrl() + "  " + config.clusters() + " clusters cluster-000.. on rings 0-"
                        + (config.rings() - 1) + " (label ring=<n>)",
                "  logs            " + logs.toAbsolutePath());
    }

    private static int port(String service, SandboxConfig.Ports p) {
        return switch (service) {
            case "catalog-service" -> p.catalog();
            case "rollout-orchestrator" -> p.orchestrator();
            case "git-committer" -> p.committer();
            case "fleet-watcher" -> p.watcher();
            default -> p.notifier();
        };
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        services.values().forEach(c -> stops.add(CompletableFuture.runAsync(c::close)));
        stops.forEach(CompletableFuture::join);
        if (fleet != null) {
            fleet.close();
        }
        if (git != null) {
            git.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (db != null) {
            db.close();
        }
        Pids.clear(config.dir());
    }

    /**
     * A process's JVM options beyond the sandbox's, from {@code -Dringmaster.sandbox.jvm-options.<process>} (a
     * service's name, or {@code kafka}), e.g. {@code -XX:StartFlightRecording=filename=o.jfr}; they come after the
     * sandbox's own, so that they win.
     */
    static List<String> extraJvmOptions(String process) {
        String extra = System.getProperty("ringmaster.sandbox.jvm-options." + process);
        return extra == null || extra.isBlank()
                ? List.of()
                : List.of(extra.trim().split("\\s+"));
    }
}
