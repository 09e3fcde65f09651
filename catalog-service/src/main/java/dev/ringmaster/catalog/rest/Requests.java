package dev.ringmaster.catalog.rest;

import jakarta.ws.rs.BadRequestException;

/** Small parsing helpers shared by the resources. */
final class Requests {

    /** The body, or a 400 when the request has none. */
    static <T> T body(T body) {
        if (body == null) {
            throw new BadRequestException("a JSON request body is required");
        }
        return body;
    }

    /** An optional integer query parameter; a 400 when it is not an integer. */
    static Integer intParam(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new BadRequestException("query parameter '" + name + "' must be an integer, not '" + value + "'");
        }
    }

    private Requests() {}
}
