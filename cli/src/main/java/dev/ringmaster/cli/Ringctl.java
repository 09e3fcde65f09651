package dev.ringmaster.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * ringctl: Ringmaster's command line. Noun first, like kubectl: {@code ringctl app create shop}. Talks to the
 * catalog's REST API only.
 */
@Command(
        name = "ringctl",
        mixinStandardHelpOptions = true,
        versionProvider = Ringctl.Version.class,
        description = "Ring-by-ring rollouts of multi-service applications on Rancher Fleet.",
        subcommands = {
            AppCommand.class,
            ServiceCommand.class,
            ClusterCommand.class,
            RolloutCommand.class,
            SubscriptionCommand.class,
            VersionCommand.class,
            CompletionCommand.class
        },
        footer = {
            "",
            "Server: --server, else RINGCTL_SERVER, else 'server=' in ~/.config/ringctl/config"
                    + " (RINGCTL_CONFIG), else http://localhost:8080.",
            "Exit codes: 0 ok, 1 error, 2 usage or invalid input, 3 not found, 4 conflict,"
                    + " 5 a watched rollout did not succeed."
        })
public class Ringctl {

    public static final String VERSION = "0.1.0";
    static final String DEFAULT_SERVER = "http://localhost:8080";

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL", description = "The catalog's base URL.")
    String server;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            paramLabel = "TOKEN",
            description = "Bearer token (or RINGCTL_TOKEN).")
    String token;

    @Option(
            names = {"-o", "--output"},
            scope = ScopeType.INHERIT,
            paramLabel = "FORMAT",
            description = "table (default), json or yaml; dot for 'app map'.")
    Output.Format output = Output.Format.table;

    private final Map<String, String> env;

    public Ringctl() {
        this(System.getenv());
    }

    /** With the given environment (tests). */
    public Ringctl(Map<String, String> env) {
        this.env = env;
    }

    Api api() {
        return new Api(
                resolveServer(), token != null ? token : firstNonBlank(env.get("RINGCTL_TOKEN"), config("token")));
    }

    String resolveServer() {
        if (server != null) {
            return server;
        }
        return firstNonBlank(firstNonBlank(env.get("RINGCTL_SERVER"), config("server")), DEFAULT_SERVER);
    }

    Map<String, String> env() {
        return env;
    }

    private String config(String key) {
        Path file = env.containsKey("RINGCTL_CONFIG")
                ? Path.of(env.get("RINGCTL_CONFIG"))
                : Path.of(System.getProperty("user.home"), ".config", "ringctl", "config");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new ApiException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage());
        }
        return p.getProperty(key);
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    /** A command line wired as ringctl runs: errors as one line and exit codes from {@link ExitCodes}. */
    public static CommandLine commandLine(Ringctl root) {
        CommandLine cl = new CommandLine(root);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e instanceof ApiException ? e.getMessage() : describe(e);
            commandLine.getErr().println("error: " + message);
            commandLine.getErr().flush();
            return e instanceof ApiException a ? a.exitCode() : ExitCodes.ERROR;
        });
        return cl;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public static void main(String[] args) {
        System.exit(commandLine(new Ringctl()).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ringctl " + VERSION};
        }
    }
}
