package dev.ringmaster.catalog.domain;

import java.util.Map;

/**
 * A request the catalog refuses, with what a person needs to fix it. Each subclass maps to one HTTP status in the
 * REST layer; {@link #details()} become extension members of the problem+json body.
 */
public abstract sealed class CatalogException extends RuntimeException
        permits CatalogException.NotFound, CatalogException.Conflict, CatalogException.Invalid {

    private final Map<String, Object> details;

    protected CatalogException(String message, Map<String, Object> details) {
        super(message);
        this.details = Map.copyOf(details);
    }

    /** Machine-readable facts about the refusal (e.g. {@code cycle}, {@code dependents}, {@code errors}). */
    public Map<String, Object> details() {
        return details;
    }

    /** A short, stable title for the kind of refusal. */
    public abstract String title();

    /** The HTTP status that says this refusal. */
    public abstract int status();

    /** The last segment of the problem type URI. */
    public abstract String slug();

    /** Something named in the request does not exist (404). */
    public static final class NotFound extends CatalogException {
        public NotFound(String kind, String name) {
            super(kind + " '" + name + "' not found", Map.of("kind", kind, "name", name));
        }

        @Override
        public String title() {
            return "Not found";
        }

        @Override
        public int status() {
            return 404;
        }

        @Override
        public String slug() {
            return "not-found";
        }
    }

    /** The request clashes with the current state (409): a name taken, a dependent in the way. */
    public static final class Conflict extends CatalogException {
        public Conflict(String message, Map<String, Object> details) {
            super(message, details);
        }

        @Override
        public String title() {
            return "Conflict";
        }

        @Override
        public int status() {
            return 409;
        }

        @Override
        public String slug() {
            return "conflict";
        }
    }

    /** The request is well-formed but its content is not acceptable (422): bad values, unknown references, a cycle. */
    public static final class Invalid extends CatalogException {
        public Invalid(String message, Map<String, Object> details) {
            super(message, details);
        }

        @Override
        public String title() {
            return "Invalid request";
        }

        @Override
        public int status() {
            return 422;
        }

        @Override
        public String slug() {
            return "invalid-request";
        }
    }
}
