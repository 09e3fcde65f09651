package dev.ringmaster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WrkTest {

    @Test
    void theFiguresLineIsReadAndAnythingElseIsRefused() {
        Map<String, Double> f = Wrk.figures("Running 1s test\nringmaster-wrk requests=120 duration_us=1000000"
                + " p50_us=1500 p99_us=9000 max_us=12000 errors=0\n");
        assertThat(f)
                .containsEntry("requests", 120.0)
                .containsEntry("p99_us", 9000.0)
                .containsEntry("errors", 0.0);
        assertThatThrownBy(() -> Wrk.figures("unable to connect to 127.0.0.1:1 Connection refused\n"))
                .hasMessageContaining("no figures");
    }

    /** Needs wrk on the PATH (skipped otherwise): every path is read, the count is the server's, a 404 fails. */
    @Test
    void wrkCyclesThroughThePathsAndCountsWhatTheServerAnswered() throws Exception {
        assumeTrue(Wrk.installed(), "wrk is not installed");
        Map<String, AtomicLong> served = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            served.computeIfAbsent(path, k -> new AtomicLong()).incrementAndGet();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(path.startsWith("/missing") ? 404 : 200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            RolloutBench.Reads r = Wrk.run(base, List.of("/a", "/b", "/c"), 2, Duration.ofSeconds(1))
                    .orElseThrow();
            long total = served.values().stream().mapToLong(AtomicLong::get).sum();
            assertThat(served.keySet()).containsExactlyInAnyOrder("/a", "/b", "/c");
            // wrk counts the requests answered within its run; the server may have seen a few more in flight
            assertThat((long) r.millis().count()).isBetween(total - 2, total);
            assertThat(r.perSecond()).isPositive();
            assertThat(r.millis().p99()).isGreaterThanOrEqualTo(r.millis().p50());
            assertThatThrownBy(() -> Wrk.run(base, List.of("/missing"), 1, Duration.ofSeconds(1)))
                    .hasMessageContaining("catalog reads failed");
        } finally {
            server.stop(0);
        }
    }
}
