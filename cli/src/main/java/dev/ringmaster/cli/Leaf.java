package dev.ringmaster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command that does something shares: the API, the output format, stdout. */
abstract class Leaf implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    Ringctl root() {
        return (Ringctl) spec.root().userObject();
    }

    Api api() {
        return root().api();
    }

    Output.Format format() {
        return root().output;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code data} as JSON/YAML, or as the table. */
    int show(JsonNode data, Table table) {
        if (!Output.document(out(), format(), data)) {
            table.print(out(), data.isArray() ? data : java.util.List.of(data));
        }
        return ExitCodes.OK;
    }

    /** Prints {@code data} as JSON/YAML, or a one-line message. */
    int done(JsonNode data, String message) {
        if (!Output.document(out(), format(), data)) {
            out().println(message);
            out().flush();
        }
        return ExitCodes.OK;
    }

    abstract Integer run();

    @Override
    public Integer call() {
        return run();
    }
}
