package dev.ringmaster.catalog.rest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * An RFC 9457 problem details body. Extension members (e.g. {@code errors}, {@code cycle}, {@code dependents}) are
 * written at the top level, as the RFC says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
public record Problem(String type, String title, int status, String detail, String instance, Map<String, Object> ext) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    private static final String TYPE_BASE = "https://ringmaster.dev/problems/";

    /** A problem whose type URI ends with {@code slug}, e.g. {@code invalid-request}. */
    public static Problem of(String slug, String title, int status, String detail, String instance) {
        return new Problem(TYPE_BASE + slug, title, status, detail, instance, Map.of());
    }

    public Problem with(Map<String, Object> extensions) {
        return new Problem(type, title, status, detail, instance, extensions);
    }

    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return ext;
    }

    /** Used by the record accessor only; Jackson writes {@link #extensions()} instead. */
    @Override
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Map<String, Object> ext() {
        return ext;
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
