package dev.ringmaster.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A noun (app, service, ...): given alone it is a usage error that lists its verbs. */
abstract class Group implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "Missing a command: one of " + spec.subcommands().keySet());
    }
}
