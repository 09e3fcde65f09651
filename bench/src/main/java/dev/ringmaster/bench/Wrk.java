package dev.ringmaster.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The catalog's read load from <a href="https://github.com/wg/wrk">wrk</a> when it is installed (Debian: {@code
 * apt-get install wrk}): a C load generator costs a fraction of the CPU of the JDK's HttpClient, and on a 2-core
 * machine the generator's CPU is taken from the server it measures. Each connection cycles through the paths; the
 * figures come from wrk's own histogram, printed by the script's {@code done} hook.
 */
final class Wrk {

    private static final String MARK = "ringmaster-wrk";

    /** Requests per second and latency over the whole run; empty when wrk is not on the PATH. */
    static Optional<RolloutBench.Reads> run(String base, List<String> paths, int connections, Duration duration)
            throws IOException, InterruptedException {
        if (!installed()) {
            return Optional.empty();
        }
        Path script = Files.createTempFile("reads", ".lua");
        try {
            Files.writeString(script, script(paths), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(
                            "wrk",
                            "-t" + Math.min(2, connections),
                            "-c" + connections,
                            "-d" + duration.toSeconds() + "s",
                            "-s",
                            script.toString(),
                            base)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("wrk failed:\n" + out);
            }
            Map<String, Double> f = figures(out);
            if (f.get("errors") > 0) {
                throw new IllegalStateException(f.get("errors").longValue() + " catalog reads failed (wrk):\n" + out);
            }
            double seconds = f.get("duration_us") / 1e6;
            return Optional.of(new RolloutBench.Reads(
                    f.get("requests") / seconds,
                    new Stats(
                            f.get("requests").intValue(),
                            f.get("p50_us") / 1000,
                            f.get("p99_us") / 1000,
                            f.get("max_us") / 1000),
                    "wrk, " + connections + " connections"));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    static boolean installed() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    /** Each connection's k-th request is of path k mod n; {@code done} prints one line of figures. */
    static String script(List<String> paths) {
        String list =
                paths.stream().map(p -> "\"" + p.replace("\"", "\\\"") + "\"").collect(Collectors.joining(", "));
        return "local paths = {" + list + "}\n"
                + "local i = 0\n"
                + "request = function()\n"
                + "  i = i + 1\n"
                + "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\n"
                + "end\n"
                + "done = function(summary, latency, requests)\n"
                + "  local e = summary.errors\n"
                + "  io.write(string.format(\"" + MARK
                + " requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d errors=%d\\n\",\n"
                + "    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),"
                + " latency.max, e.connect + e.read + e.write + e.status + e.timeout))\n"
                + "end\n";
    }

    /** The figures of the script's line in wrk's output. */
    static Map<String, Double> figures(String out) {
        List<String> lines = out.lines().filter(l -> l.startsWith(MARK + " ")).toList();
        if (lines.size() != 1) {
            throw new IllegalStateException("wrk printed no figures:\n" + out);
        }
        Map<String, Double> f = new HashMap<>();
        for (String kv : new ArrayList<>(
                List.of(lines.get(0).substring(MARK.length() + 1).split(" ")))) {
            String[] p = kv.split("=", 2);
            f.put(p[0], Double.parseDouble(p[1]));
        }
        return f;
    }

    private Wrk() {}
}
