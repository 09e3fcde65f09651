package dev.ringmaster.infra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * A real HTTP receiver on loopback for webhook tests: records every request (time, headers, body) and answers as the
 * test scripts it, per request number: a status with headers, or no answer at all (it hangs until closed).
 */
public final class HttpReceiver implements AutoCloseable {

    /** One received request. Header names are lower case. */
    public record Received(Instant at, String method, String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** How to answer one request. */
    public record Reply(int status, Map<String, String> headers, boolean hangs) {
        public static Reply status(int status) {
            return new Reply(status, Map.of(), false);
        }

        public static Reply status(int status, Map<String, String> headers) {
            return new Reply(status, headers, false);
        }

        public static Reply noAnswer() {
            return new Reply(0, Map.of(), true);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Received> received = new ArrayList<>();
    private volatile IntFunction<Reply> script = n -> Reply.status(200);

    private HttpReceiver(HttpServer server) {
        this.server = server;
    }

    /** A receiver on 127.0.0.1 and a free port, answering 200 until told otherwise. */
    public static HttpReceiver start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            HttpReceiver r = new HttpReceiver(s);
            s.createContext("/", r::handle);
            s.setExecutor(r.pool);
            s.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers request number n (1-based) as {@code script} says. */
    public HttpReceiver answer(IntFunction<Reply> script) {
        this.script = script;
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Every request so far, in arrival order. */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until the requests so far satisfy {@code condition}; fails after {@code timeout}. */
    public synchronized List<Received> awaitUntil(Predicate<List<Received>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(received)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the receiver did not get what was expected within " + timeout + "; got "
                        + received.size() + " request(s)");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return List.copyOf(received);
    }

    /** Waits for at least {@code n} requests. */
    public List<Received> awaitCount(int n, Duration timeout) {
        return awaitUntil(r -> r.size() >= n, timeout);
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new TreeMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        int n;
        synchronized (this) {
            received.add(new Received(
                    Instant.now(), x.getRequestMethod(), x.getRequestURI().toString(), Map.copyOf(headers), body));
            n = received.size();
            notifyAll();
        }
        Reply reply = script.apply(n);
        if (reply.hangs()) {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
            return;
        }
        reply.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
        x.sendResponseHeaders(reply.status(), -1);
        x.close();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
