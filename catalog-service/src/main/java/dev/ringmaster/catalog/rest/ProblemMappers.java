package dev.ringmaster.catalog.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.ringmaster.catalog.domain.CatalogException;
import jakarta.persistence.PessimisticLockException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into an RFC 9457 problem+json response. Never a stack trace; a 500 is logged with an id. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response catalog(CatalogException e, UriInfo uri) {
        return Problem.of(e.slug(), e.title(), e.status(), e.getMessage(), path(uri))
                .with(e.details())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response badJson(JsonParseException e, UriInfo uri) {
        return malformed("the body is not valid JSON: " + e.getOriginalMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        return malformed(
                "unknown field '" + e.getPropertyName() + "'"
                        + (e.getKnownPropertyIds() == null
                                ? ""
                                : "; known fields: "
                                        + e.getKnownPropertyIds().stream()
                                                .map(Object::toString)
                                                .sorted()
                                                .collect(Collectors.joining(", "))),
                uri);
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e, UriInfo uri) {
        return malformed(fieldOf(e) + " has the wrong type: " + e.getOriginalMessage(), uri);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return malformed(fieldOf(e) + " does not fit: " + e.getOriginalMessage(), uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return malformed("the body cannot be read: " + e.getOriginalMessage(), uri);
    }

    /** A concurrent request inserted the same name between our check and our insert. */
    @ServerExceptionMapper
    public Response duplicate(ConstraintViolationException e, UriInfo uri) {
        return Problem.of("conflict", "Conflict", 409, "a concurrent request changed the same object; retry", path(uri))
                .toResponse();
    }

    @ServerExceptionMapper
    public Response locked(PessimisticLockException e, UriInfo uri) {
        return Problem.of("conflict", "Conflict", 409, "the application is being changed; retry", path(uri))
                .toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response r = e.getResponse();
        int status = r.getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        String reason = Response.Status.fromStatusCode(status) == null
                ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? reason : e.getMessage();
        Problem p = Problem.of(slug(reason), reason, status, detail, path(uri));
        Response.ResponseBuilder b =
                Response.status(status).type(Problem.PROBLEM_JSON).entity(p);
        if (r.getHeaderString("Allow") != null) {
            b.header("Allow", r.getHeaderString("Allow"));
        }
        return b.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", id, path(uri));
        return Problem.of(
                        "internal-error",
                        "Internal error",
                        500,
                        "an unexpected error happened; it was logged with id " + id,
                        path(uri))
                .with(Map.of("errorId", id))
                .toResponse();
    }

    static Response malformed(String detail, UriInfo uri) {
        return Problem.of("malformed-request", "Malformed request", 400, detail, path(uri))
                .toResponse();
    }

    private static String fieldOf(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return path.isEmpty() ? "the body" : "field '" + path + "'";
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    private static String slug(String reason) {
        return reason.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
