package dev.ringmaster.sandbox;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./ringmaster sandbox} and {@code ./ringmaster demo}. */
@Command(
        name = "ringmaster",
        mixinStandardHelpOptions = true,
        description = "Runs Ringmaster on this machine.",
        subcommands = {SandboxMain.SandboxCmd.class, SandboxMain.DemoCmd.class})
public final class SandboxMain {

    abstract static class Common implements Callable<Integer> {
        @Option(names = "--home", defaultValue = "${sys:ringmaster.home:-.}", description = "The repository root.")
        Path home;

        @Option(names = "--dir", description = "The sandbox folder (default: <home>/.sandbox).")
        Path dir;

        @Option(
                names = "--db-url",
                description = "Use this PostgreSQL (jdbc:postgresql://host:port/db) instead of the embedded one.")
        String dbUrl;

        @Option(names = "--db-user", defaultValue = "ringmaster")
        String dbUser;

        @Option(names = "--db-password", defaultValue = "ringmaster")
        String dbPassword;

        @Option(names = "--clusters", defaultValue = "30", description = "Simulated Fleet clusters (default 30).")
        int clusters;

        @Option(names = "--rings", defaultValue = "3", description = "Rings they are spread over (default 3).")
        int rings;

        SandboxConfig config() {
            Path h = home.toAbsolutePath().normalize();
            SandboxConfig c = SandboxConfig.defaults(h).withClusters(clusters, rings);
            if (dir != null) {
                c = c.withDir(dir.toAbsolutePath());
            }
            if (dbUrl != null) {
                c = c.withDatabase(dbUrl, dbUser, dbPassword, "", false);
            }
            return c;
        }

        Sandbox start(PrintStream out) {
            Sandbox s = Sandbox.prepare(config());
            // Ctrl-C at any moment, even while starting, stops what was started.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println("stopping the sandbox ...");
                s.close();
                out.println("stopped; logs are in " + s.logs());
            }));
            s.boot(out);
            out.println();
            out.println("Ringmaster is running:");
            out.println(s.addresses());
            return s;
        }

        static void untilInterrupted() throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }

    @Command(name = "sandbox", description = "Start everything and run until Ctrl-C (which stops everything).")
    static final class SandboxCmd extends Common {
        @Override
        public Integer call() throws Exception {
            start(System.out);
            System.out.println();
            System.out.println("Try: ./ringctl app list    (./ringmaster demo shows a whole rollout)");
            System.out.println("Ctrl-C stops everything.");
            untilInterrupted();
            return 0;
        }
    }

    @Command(name = "demo", description = "Start everything, roll the sample application out on ring 0, stop.")
    static final class DemoCmd extends Common {
        @Option(names = "--keep", description = "Leave the sandbox running afterwards (Ctrl-C stops it).")
        boolean keep;

        @Override
        public Integer call() throws Exception {
            Sandbox s = start(System.out);
            int exit = new Demo(s, System.out).run();
            System.out.println();
            System.out.println(
                    exit == 0
                            ? "Demo done: the rollout SUCCEEDED."
                            : "Demo done: the rollout did not succeed (exit " + exit + ").");
            if (keep) {
                System.out.println("The sandbox keeps running (--keep); Ctrl-C stops it.");
                untilInterrupted();
            }
            return exit;
        }
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new SandboxMain());
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("ringmaster: " + (e instanceof SandboxException ? e.getMessage() : e.toString()));
            return 1;
        });
        int exit = cl.execute(args);
        System.exit(exit); // runs the shutdown hook: everything started is stopped
    }
}
