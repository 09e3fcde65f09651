package dev.ringmaster.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** Runs ringctl in this JVM, as its main would, and captures what it prints. */
final class Cli {

    record Result(int exit, String out, String err) {
        /** The output's lines. */
        String[] lines() {
            return out.split("\n");
        }
    }

    private final Map<String, String> env = new HashMap<>();

    Cli(String server) {
        env.put("RINGCTL_SERVER", server);
        env.put("RINGCTL_CONFIG", "/nonexistent/ringctl-config");
    }

    Cli env(String key, String value) {
        env.put(key, value);
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Ringctl.commandLine(new Ringctl(Map.copyOf(env)));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
