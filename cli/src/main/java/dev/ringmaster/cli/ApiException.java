package dev.ringmaster.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** The catalog refused a request, or could not be reached. Carries the exit code a script sees. */
public final class ApiException extends RuntimeException {

    private final int exitCode;

    public ApiException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** One readable line from an HTTP status and its RFC 9457 problem body (when it has one). */
    static ApiException fromResponse(int status, JsonNode problem) {
        StringBuilder line = new StringBuilder();
        if (problem != null && problem.hasNonNull("title")) {
            line.append(problem.get("title").asText());
            if (problem.hasNonNull("detail")) {
                line.append(": ").append(problem.get("detail").asText());
            }
            JsonNode errors = problem.get("errors");
            if (errors != null && errors.isArray() && errors.size() > 1) {
                line.append(" (");
                for (int i = 0; i < errors.size(); i++) {
                    JsonNode e = errors.get(i);
                    line.append(i == 0 ? "" : "; ")
                            .append(e.path("field").asText())
                            .append(' ')
                            .append(e.path("message").asText());
                }
                line.append(')');
            }
        } else {
            line.append("the server answered HTTP ").append(status);
        }
        return new ApiException(exitCodeOf(status), line.toString());
    }

    /** 404 → 3 (not found), 409 → 4 (conflict), 400/422 → 2 (usage: the input is wrong), else 1. */
    static int exitCodeOf(int status) {
        return switch (status) {
            case 404 -> ExitCodes.NOT_FOUND;
            case 409 -> ExitCodes.CONFLICT;
            case 400, 422 -> ExitCodes.USAGE;
            default -> ExitCodes.ERROR;
        };
    }
}
