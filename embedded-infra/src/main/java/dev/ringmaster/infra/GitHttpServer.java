package dev.ringmaster.infra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Git server over smart HTTP: Git's own {@code git http-backend} (the CGI program behind most Git HTTP
 * servers) behind the JDK's HTTP server, with basic authentication. Repositories are bare repositories under a root
 * folder, served at {@code http://127.0.0.1:<port>/git/<name>.git}. Needs the {@code git} command.
 */
public final class GitHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool;
    private final Path root;
    private final String user;
    private final String password;
    private final AtomicInteger pushes = new AtomicInteger();
    private volatile java.util.concurrent.CountDownLatch pushGate;

    private GitHttpServer(HttpServer server, ExecutorService pool, Path root, String user, String password) {
        this.server = server;
        this.pool = pool;
        this.root = root;
        this.user = user;
        this.password = password;
    }

    /** Starts a server on a free loopback port serving the bare repositories under {@code root}. */
    public static GitHttpServer start(Path root, String user, String password) {
        try {
            Files.createDirectories(root);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "git-http");
                t.setDaemon(true);
                return t;
            });
            GitHttpServer git = new GitHttpServer(server, pool, root, user, password);
            server.createContext("/git/", git::handle);
            server.setExecutor(pool);
            server.start();
            return git;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Git HTTP server: " + e.getMessage(), e);
        }
    }

    /** The clone URL of repository {@code name}. */
    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/git/" + name + ".git";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The folder of bare repository {@code name}. */
    public Path repository(String name) {
        return root.resolve(name + ".git");
    }

    /**
     * From now on, a push is carried out but its answer is held until the returned latch is counted down: what a
     * client sees when the network fails after the server updated the branch. Count down to release them.
     */
    public java.util.concurrent.CountDownLatch holdPushAnswers() {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        pushGate = gate;
        return gate;
    }

    /** Answers pushes at once again. */
    public void releasePushAnswers() {
        java.util.concurrent.CountDownLatch gate = pushGate;
        pushGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** How many pushes (receive-pack requests) the server has answered. */
    public int pushes() {
        return pushes.get();
    }

    /**
     * Creates bare repository {@code name} with one commit on {@code branch} holding {@code files} (path -> content).
     */
    public String createRepository(String name, String branch, Map<String, String> files) {
        createBareRepository(repository(name), branch, files);
        return url(name);
    }

    /** Creates a bare repository at {@code bare} with one commit on {@code branch} holding {@code files}. */
    public static void createBareRepository(Path bare, String branch, Map<String, String> files) {
        Path work = bare.resolveSibling(".seed-" + bare.getFileName());
        git(bare.getParent(), "init", "-q", "--bare", "-b", branch, bare.toString());
        git(bare, "config", "http.receivepack", "true");
        git(bare.getParent(), "init", "-q", "-b", branch, work.toString());
        files.forEach((path, content) -> {
            try {
                Path f = work.resolve(path);
                Files.createDirectories(f.getParent());
                Files.writeString(f, content, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        git(work, "add", "-A");
        git(work, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "Initial commit");
        git(work, "push", "-q", bare.toString(), branch);
        deleteTree(work);
    }

    /** Runs {@code git} in {@code dir} and returns its standard output; fails on a non-zero exit. */
    public static String git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + dir + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            String pathInfo = ex.getRequestURI().getRawPath().substring("/git".length());
            if (pathInfo.contains("..")) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            boolean push = pathInfo.endsWith("/git-receive-pack");
            if (push) {
                pushes.incrementAndGet();
            }
            ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
            Map<String, String> env = pb.environment();
            env.put("GIT_PROJECT_ROOT", root.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("PATH_INFO", pathInfo);
            env.put("REQUEST_METHOD", ex.getRequestMethod());
            env.put(
                    "QUERY_STRING",
                    ex.getRequestURI().getRawQuery() == null
                            ? ""
                            : ex.getRequestURI().getRawQuery());
            env.put("REMOTE_USER", user);
            env.put("REMOTE_ADDR", "127.0.0.1");
            header(ex, "Content-Type", env, "CONTENT_TYPE");
            header(ex, "Content-Length", env, "CONTENT_LENGTH");
            header(ex, "Content-Encoding", env, "HTTP_CONTENT_ENCODING");
            header(ex, "Git-Protocol", env, "GIT_PROTOCOL");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process cgi = pb.start();
            Thread feeder = new Thread(
                    () -> {
                        try (InputStream in = ex.getRequestBody();
                                OutputStream out = cgi.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the backend stopped reading; its answer says why
                        }
                    },
                    "git-http-feed");
            feeder.setDaemon(true);
            feeder.start();
            InputStream out = cgi.getInputStream();
            int status = 200;
            for (String line = readLine(out); line != null && !line.isEmpty(); line = readLine(out)) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.split(" ")[0]);
                } else {
                    ex.getResponseHeaders().add(name, value);
                }
            }
            java.util.concurrent.CountDownLatch gate = pushGate;
            if (push && gate != null) {
                byte[] answer = out.readAllBytes(); // the push is done on the server once its answer is complete
                cgi.waitFor(60, TimeUnit.SECONDS);
                gate.await(120, TimeUnit.SECONDS);
                ex.sendResponseHeaders(status, 0);
                try (OutputStream body = ex.getResponseBody()) {
                    body.write(answer);
                }
                return;
            }
            ex.sendResponseHeaders(status, 0);
            try (OutputStream body = ex.getResponseBody()) {
                out.transferTo(body);
            }
            cgi.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String decoded =
                new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        return decoded.equals(user + ":" + password);
    }

    private static void header(HttpExchange ex, String header, Map<String, String> env, String var) {
        String v = ex.getRequestHeaders().getFirst(header);
        if (v != null) {
            env.put(var, v);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
