package dev.ringmaster.gitcommitter.domain;

/**
 * A fleet.yaml that cannot be edited safely, with what a person must fix. Terminal: retrying cannot help until
 * someone changes the file.
 */
public class FleetYamlException extends RuntimeException {
    public FleetYamlException(String message) {
        super(message);
    }
}
