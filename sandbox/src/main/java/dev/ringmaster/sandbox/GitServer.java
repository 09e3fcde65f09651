package dev.ringmaster.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser.PacketLineOutRefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * A Git server over smart HTTP (the protocol GitHub and GitLab speak), with JGit and the JDK's HTTP server only: no
 * git binary, no servlet container. Serves the bare repositories {@code <root>/<name>.git} at
 * {@code http://127.0.0.1:<port>/git/<name>.git}, clone/fetch and push, behind HTTP basic authentication.
 */
public final class GitServer implements AutoCloseable {

    private static final Pattern PATH =
            Pattern.compile("^/git/([A-Za-z0-9._-]+\\.git)/(info/refs|git-upload-pack|git-receive-pack)$");

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final Path root;
    private final String user;
    private final String password;

    private GitServer(HttpServer server, Path root, String user, String password) {
        this.server = server;
        this.root = root;
        this.user = user;
        this.password = password;
    }

    public static GitServer start(Path root, int port, String user, String password) {
        try {
            Files.createDirectories(root);
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            GitServer g = new GitServer(s, root, user, password);
            s.createContext("/git/", g::handle);
            s.setExecutor(g.pool);
            s.start();
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException("the Git server cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The clone URL of repository {@code name}. */
    public String url(String name) {
        return "http://127.0.0.1:" + port() + "/git/" + name + ".git";
    }

    /** Creates repository {@code name} with one commit holding {@code files}, unless it exists. */
    public String createRepository(String name, String branch, Map<String, String> files) {
        Path bare = root.resolve(name + ".git");
        if (Files.exists(bare)) {
            return url(name);
        }
        Path work = root.resolve(".init-" + name);
        try (Git git =
                Git.init().setInitialBranch(branch).setDirectory(work.toFile()).call()) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path file = work.resolve(f.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, f.getValue());
            }
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Ringmaster Sandbox", "sandbox@ringmaster.dev");
            git.commit()
                    .setMessage("Initial version")
                    .setAuthor(who)
                    .setCommitter(who)
                    .call();
            Git.init()
                    .setBare(true)
                    .setInitialBranch(branch)
                    .setDirectory(bare.toFile())
                    .call()
                    .close();
            git.push()
                    .setRemote(bare.toUri().toString())
                    .add(branch)
                    .setCredentialsProvider(new UsernamePasswordCredentialsProvider(user, password))
                    .call();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create repository " + name + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
        return url(name);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            Matcher m = PATH.matcher(URI.create(x.getRequestURI().getRawPath()).getPath());
            if (!m.matches()) {
                reply(x, 404, "not a Git smart HTTP path");
                return;
            }
            if (!authorized(x)) {
                x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"ringmaster sandbox git\"");
                reply(x, 401, "authentication required");
                return;
            }
            Path dir = root.resolve(m.group(1));
            if (!Files.isDirectory(dir)) {
                reply(x, 404, "no repository " + m.group(1));
                return;
            }
            try (Repository repo = new FileRepositoryBuilder()
                    .setGitDir(dir.toFile())
                    .setMustExist(true)
                    .build()) {
                switch (m.group(2)) {
                    case "info/refs" -> advertise(x, repo);
                    case "git-upload-pack" -> uploadPack(x, repo);
                    default -> receivePack(x, repo);
                }
            }
        } catch (RuntimeException e) {
            // the client sees a broken answer; the next request is served as usual
            System.err.println("git server: " + e);
        }
    }

    private static void advertise(HttpExchange x, Repository repo) throws IOException {
        String query = x.getRequestURI().getQuery();
        String service = query == null ? "" : query.replaceFirst("^service=", "");
        if (!service.equals("git-upload-pack") && !service.equals("git-receive-pack")) {
            reply(x, 403, "dumb HTTP is not served; use a smart client");
            return;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PacketLineOut out = new PacketLineOut(buf);
        out.writeString("# service=" + service + "\n");
        out.end();
        PacketLineOutRefAdvertiser adv = new PacketLineOutRefAdvertiser(out);
        if (service.equals("git-upload-pack")) {
            UploadPack up = new UploadPack(repo);
            up.setBiDirectionalPipe(false);
            up.sendAdvertisedRefs(adv);
        } else {
            ReceivePack rp = new ReceivePack(repo);
            rp.setBiDirectionalPipe(false);
            rp.sendAdvertisedRefs(adv);
        }
        x.getResponseHeaders().add("Content-Type", "application/x-" + service + "-advertisement");
        x.getResponseHeaders().add("Cache-Control", "no-cache");
        x.sendResponseHeaders(200, buf.size());
        x.getResponseBody().write(buf.toByteArray());
    }

    private static void uploadPack(HttpExchange x, Repository repo) throws IOException {
        UploadPack up = new UploadPack(repo);
        up.setBiDirectionalPipe(false);
        x.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
        x.sendResponseHeaders(200, 0);
        try (InputStream in = body(x);
                OutputStream out = x.getResponseBody()) {
            up.upload(in, out, null);
        }
    }

    private static void receivePack(HttpExchange x, Repository repo) throws IOException {
        ReceivePack rp = new ReceivePack(repo);
        rp.setBiDirectionalPipe(false);
        rp.setRefLogIdent(new PersonIdent("sandbox git server", "sandbox@ringmaster.dev"));
        x.getResponseHeaders().add("Content-Type", "application/x-git-receive-pack-result");
        x.sendResponseHeaders(200, 0);
        try (InputStream in = body(x);
                OutputStream out = x.getResponseBody()) {
            rp.receive(in, out, null);
        }
    }

    private static InputStream body(HttpExchange x) throws IOException {
        String enc = x.getRequestHeaders().getFirst("Content-Encoding");
        return "gzip".equalsIgnoreCase(enc) ? new GZIPInputStream(x.getRequestBody()) : x.getRequestBody();
    }

    private boolean authorized(HttpExchange x) {
        String h = x.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Basic ")) {
            return false;
        }
        String expected = user + ":" + password;
        String given;
        try {
            given = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return java.security.MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange x, int status, String text) throws IOException {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
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
