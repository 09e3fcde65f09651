package dev.ringmaster.sandbox;

import com.sun.net.httpserver.HttpServer;
import dev.ringmaster.cli.Ringctl;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * The demo, through ringctl as a person would type it: register the sample application (six services with
 * dependencies, the sandbox's clusters on their rings), subscribe a webhook, plan a new version of every service,
 * roll ring 0 out with the live view, then show the history, the version matrix and the deliveries.
 */
final class Demo {

    static final String VERSION = "1.1.0";

    private final Sandbox sandbox;
    private final PrintStream out;
    private final PrintWriter writer;

    Demo(Sandbox sandbox, PrintStream out) {
        this.sandbox = sandbox;
        this.out = out;
        this.writer = new PrintWriter(out, true);
    }

    /** Runs the demo; returns ringctl's exit code of the rollout's watch (0: SUCCEEDED). */
    int run() {
        AtomicInteger received = new AtomicInteger();
        HttpServer receiver = receiver(received);
        try {
            String app = SampleApp.NAME;
            step("Register the sample application");
            ringctl(true, "app", "create", app, "--description", "Sample web shop: six services in five layers");
            SampleApp.SERVICES.forEach((svc, deps) -> {
                List<String> args = new ArrayList<>(List.of(
                        "service",
                        "create",
                        app,
                        svc,
                        "--repo",
                        sandbox.gitUrl(svc),
                        "--version",
                        SampleApp.START_VERSION));
                if (!deps.isEmpty()) {
                    args.add("--depends-on");
                    args.add(String.join(",", deps));
                }
                ringctl(true, args.toArray(String[]::new));
            });
            int clusters = sandbox.config().clusters();
            int rings = sandbox.config().rings();
            for (int i = 0; i < clusters; i++) {
                ringctl(i < 2, "cluster", "add", app, Sandbox.clusterName(i), "--ring", String.valueOf(i % rings));
            }
            if (clusters > 2) {
                out.println("  ... and " + (clusters - 2) + " more clusters, on rings 0-" + (rings - 1));
            }
            ringctl(true, "app", "map", app);
            ringctl(true, "cluster", "list", app, "--ring", "0");

            step("Be told: a webhook receiver on this machine");
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            ringctl(true, "subscription", "add", "demo-hook", "--url", hook, "--app", app);

            step("Plan version " + VERSION + " of every service, and roll ring 0 out");
            SampleApp.SERVICES.keySet().forEach(svc -> ringctl(true, "service", "plan", app, svc, VERSION));
            ringctl(true, "rollout", "create", app, "--ring", "0", "--dry-run");
            int watched = ringctl(true, "rollout", "create", app, "--ring", "0", "--by", "demo", "--watch");

            step("What happened");
            ringctl(true, "rollout", "list", "--app", app);
            ringctl(true, "app", "versions", app);
            ringctl(true, "subscription", "deliveries", "demo-hook", "--limit", "5");
            out.println("The webhook receiver got " + received.get() + " signed rollout events.");
            return watched;
        } finally {
            receiver.stop(0);
        }
    }

    private void step(String title) {
        out.println();
        out.println("== " + title);
    }

    private int ringctl(boolean echo, String... args) {
        CommandLine cl = Ringctl.commandLine(new Ringctl(
                Map.of("RINGCTL_SERVER", sandbox.catalogUrl(), "RINGCTL_CONFIG", "/nonexistent", "USER", "demo")));
        PrintWriter sink = echo ? writer : new PrintWriter(java.io.Writer.nullWriter());
        cl.setOut(sink);
        cl.setErr(writer);
        if (echo) {
            out.println("$ ringctl " + String.join(" ", quoted(args)));
        }
        int exit = cl.execute(args);
        if (exit != 0 && !(args.length > 1 && args[1].equals("create") && args[0].equals("rollout"))) {
            throw new SandboxException("ringctl " + String.join(" ", args) + " failed with exit code " + exit);
        }
        return exit;
    }

    private static List<String> quoted(String[] args) {
        return java.util.Arrays.stream(args)
                .map(a -> a.contains(" ") ? "\"" + a + "\"" : a)
                .toList();
    }

    private static HttpServer receiver(AtomicInteger received) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            s.createContext("/hook", x -> {
                try (x) {
                    x.getRequestBody().readAllBytes();
                    if (x.getRequestHeaders().getFirst("webhook-signature") != null) {
                        received.incrementAndGet();
                    }
                    x.sendResponseHeaders(204, -1);
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
