package dev.ringmaster.catalog.rest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * Refuses a request whose declared body is larger than {@link #MAX_BODY_BYTES} with a 413 problem+json, before it is
 * read. (A chunked body without a length is cut off by {@code quarkus.http.limits.max-body-size}, set to the same
 * size.)
 */
@ApplicationScoped
public class BodyLimit {

    /** 1 MiB: far more than any catalog request needs. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    void install(@Observes Router router) {
        router.route().order(-100).handler(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? 0 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > MAX_BODY_BYTES) {
                Problem p = Problem.of(
                        "payload-too-large",
                        "Payload too large",
                        413,
                        "the body declares " + length + " bytes; the limit is " + MAX_BODY_BYTES,
                        rc.request().path());
                rc.response()
                        .setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(Json.encode(Map.of(
                                "type", p.type(),
                                "title", p.title(),
                                "status", p.status(),
                                "detail", p.detail(),
                                "instance", p.instance())));
            } else {
                rc.next();
            }
        });
    }
}
