package dev.ringmaster.bench;

import dev.ringmaster.fleetsim.FleetSimulator;
import dev.ringmaster.sandbox.GitServer;
import dev.ringmaster.sandbox.SampleApp;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The simulated Fleet alone, at scale: {@code clusters} clusters and {@code bundles} GitRepos (one bundle each) that
 * target all of them, in this JVM. Measures the time to register the clusters, to deploy every bundle everywhere, to
 * settle one commit to every repository and one commit to a single repository (written, applied and reported ready
 * on every cluster), and the heap after a full GC with everything deployed.
 *
 * <pre>
 * java -Xmx8g -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' \
 *   dev.ringmaster.bench.FleetSimBench 10000 20
 * </pre>
 */
public final class FleetSimBench {

    public record Result(
            int clusters,
            int bundles,
            int workers,
            Duration register,
            Duration initialDeploy,
            Duration commitAll,
            Duration commitOne,
            long objects,
            long heapMb) {

        String table() {
            return String.format(
                    """
                    | fleet-sim, %d clusters x %d bundles, %d workers | |
                    | --- | --- |
                    | register the clusters (Cluster + namespace + status) | %.1f s |
                    | first deploy of every bundle everywhere (%d BundleDeployments ready) | %.1f s |
                    | a commit to every repository, settled (all ready again) | %.1f s |
                    | a commit to one repository, settled | %.1f s |
                    | objects in the API server | %d |
                    | heap after a full GC, everything deployed | %d MB |
                    """,
                    clusters,
                    bundles,
                    workers,
                    register.toMillis() / 1000.0,
                    (long) clusters * bundles,
                    initialDeploy.toMillis() / 1000.0,
                    commitAll.toMillis() / 1000.0,
                    commitOne.toMillis() / 1000.0,
                    objects,
                    heapMb);
        }
    }

    private FleetSimBench() {}

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int bundles = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : FleetSimulator.Config.DEFAULT_WORKERS;
        Path dir = Files.createTempDirectory("fleet-sim-bench");
        Result r = run(dir, clusters, bundles, workers, System.out);
        System.out.println(r.table());
        Path results = Path.of("bench", "results", "runs.md");
        if (Files.isDirectory(results.getParent())) {
            Files.writeString(
                    results,
                    "\n## FleetSimBench " + Instant.now() + "\n\n" + r.table(),
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        System.exit(0);
    }

    public static Result run(Path dir, int clusters, int bundles, int workers, PrintStream log) throws Exception {
        try (GitServer git = GitServer.start(dir.resolve("repos"), 0, "fleet", "secret");
                FleetSimulator sim = FleetSimulator.start(
                        new FleetSimulator.Config(
                                        "fleet-default",
                                        Duration.ofMillis(100),
                                        Duration.ZERO,
                                        Duration.ZERO,
                                        dir.resolve("cache"),
                                        "fleet",
                                        "secret")
                                .withWorkers(workers),
                        0)) {
            Map<String, String> urls = new LinkedHashMap<>();
            for (int b = 0; b < bundles; b++) {
                String name = String.format("svc-%02d", b);
                urls.put(name, git.createRepository(name, "main", SampleApp.files(name, 1)));
            }
            log.printf("registering %d clusters ...%n", clusters);
            Instant t0 = Instant.now();
            for (int i = 0; i < clusters; i++) {
                sim.addCluster(String.format("cluster-%05d", i), Map.of("ring", "0"));
            }
            Duration register = Duration.between(t0, Instant.now());

            log.printf("deploying %d bundles on every cluster ...%n", bundles);
            Instant t1 = Instant.now();
            Map<String, String> heads = new LinkedHashMap<>();
            for (var e : urls.entrySet()) {
                sim.addGitRepo(
                        e.getKey(),
                        e.getValue(),
                        "main",
                        List.of("."),
                        List.of(Map.of(
                                "clusterSelector",
                                Map.of("matchExpressions", List.of(Map.of("key", "ring", "operator", "Exists"))))));
                heads.put(e.getKey(), head(dir, e.getKey()));
            }
            sim.runInBackground();
            awaitSettled(sim, heads, Duration.ofMinutes(60));
            Duration initial = Duration.between(t1, Instant.now());
            log.printf("deployed in %d ms%n", initial.toMillis());

            Instant t2 = Instant.now();
            for (String name : urls.keySet()) {
                heads.put(name, bump(dir, name, "1.0.0", "2.0.0"));
            }
            awaitSettled(sim, heads, Duration.ofMinutes(60));
            Duration all = Duration.between(t2, Instant.now());
            log.printf("a commit to every repository settled in %d ms%n", all.toMillis());

            Instant t3 = Instant.now();
            String first = urls.keySet().iterator().next();
            heads.put(first, bump(dir, first, "2.0.0", "3.0.0"));
            awaitSettled(sim, heads, Duration.ofMinutes(60));
            Duration one = Duration.between(t3, Instant.now());
            log.printf("a commit to one repository settled in %d ms%n", one.toMillis());

            long heap = heapAfterGc();
            return new Result(
                    clusters, bundles, workers, register, initial, all, one, sim.storedObjects(), heap / 1024 / 1024);
        }
    }

    private static void awaitSettled(FleetSimulator sim, Map<String, String> heads, Duration limit)
            throws InterruptedException {
        BooleanSupplier settled = () -> sim.pendingAgentWork() == 0
                && heads.entrySet().stream().allMatch(e -> sim.rendered(e.getKey(), e.getValue()));
        Instant deadline = Instant.now().plus(limit);
        while (!settled.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("fleet-sim did not settle within " + limit);
            }
            Thread.sleep(20); // a driver polling the simulator's state, not a test
        }
    }

    private static String head(Path dir, String repo) throws Exception {
        try (Git g = Git.open(dir.resolve("repos").resolve(repo + ".git").toFile())) {
            return g.getRepository().resolve("refs/heads/main").name();
        }
    }

    /** Commits a new version straight into the bare repository (clone, edit, commit, push by file). */
    private static String bump(Path dir, String repo, String from, String to) throws Exception {
        Path bare = dir.resolve("repos").resolve(repo + ".git");
        Path work = dir.resolve("work-" + repo + "-" + to);
        try (Git g = Git.cloneRepository()
                .setURI(bare.toUri().toString())
                .setDirectory(work.toFile())
                .setBranch("main")
                .call()) {
            Path fleetYaml = work.resolve("fleet.yaml");
            Files.writeString(fleetYaml, Files.readString(fleetYaml).replace(from, to));
            PersonIdent who = new PersonIdent("bench", "bench@ringmaster.dev");
            String commit = g.commit()
                    .setAll(true)
                    .setMessage("bump " + to)
                    .setAuthor(who)
                    .setCommitter(who)
                    .call()
                    .name();
            g.push().call();
            return commit;
        }
    }

    static long heapAfterGc() {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            System.gc();
            samples.add(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return samples.get(samples.size() - 1);
    }
}
