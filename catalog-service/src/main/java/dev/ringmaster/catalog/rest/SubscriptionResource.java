package dev.ringmaster.catalog.rest;

import dev.ringmaster.catalog.api.RotateSecretRequest;
import dev.ringmaster.catalog.api.SubscriptionRequest;
import dev.ringmaster.catalog.api.SubscriptionView;
import dev.ringmaster.catalog.config.CatalogConfig;
import dev.ringmaster.catalog.service.SubscriptionCatalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** Notification subscriptions; the notifier delivers to them. */
@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "subscriptions")
public class SubscriptionResource {

    private static final Logger LOG = Logger.getLogger(SubscriptionResource.class);

    private final SubscriptionCatalog subscriptions;
    private final String notifierUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public SubscriptionResource(SubscriptionCatalog subscriptions, CatalogConfig config) {
        this.subscriptions = subscriptions;
        this.notifierUrl = config.notifier().url().replaceAll("/+$", "");
    }

    /** Creates a subscription; the answer carries the signing secret, once. */
    @POST
    public Response create(SubscriptionRequest body, UriInfo uri) {
        SubscriptionView created = subscriptions.create(Requests.body(body));
        return Response.created(
                        uri.getAbsolutePathBuilder().path(created.name()).build())
                .entity(created)
                .build();
    }

    /** Every subscription, or those that follow one application ({@code ?application=shop}). */
    @GET
    public List<SubscriptionView> list(@QueryParam("application") String application) {
        return subscriptions.list(application);
    }

    @GET
    @Path("{name}")
    public SubscriptionView get(@PathParam("name") String name) {
        return subscriptions.get(name);
    }

    /** A new signing secret; the old one signs too until the grace period ends. */
    @POST
    @Path("{name}/rotate-secret")
    public SubscriptionView rotate(@PathParam("name") String name, RotateSecretRequest body) {
        return subscriptions.rotateSecret(name, body);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        subscriptions.delete(name);
        return Response.noContent().build();
    }

    /**
     * The delivery log of a subscription, newest first, as the notifier keeps it: each event with its attempts
     * (time, HTTP status or error, duration) and its state (PENDING, DELIVERED, FAILED, DEAD).
     */
    @GET
    @Path("{name}/deliveries")
    @Blocking
    public Response deliveries(@PathParam("name") String name, @QueryParam("limit") String limit) {
        subscriptions.requireExists(name);
        Integer n = Requests.intParam("limit", limit);
        if (n != null && (n < 1 || n > 1000)) {
            throw new jakarta.ws.rs.BadRequestException("query parameter 'limit' must be between 1 and 1000");
        }
        URI target = URI.create(notifierUrl + "/api/v1/subscriptions/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "/deliveries" + (n == null ? "" : "?limit=" + n));
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(target)
                            .timeout(Duration.ofSeconds(10))
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return Response.ok(r.body(), MediaType.APPLICATION_JSON).build();
            }
            LOG.warnf("the notifier answered %d for the deliveries of %s", r.statusCode(), name);
            return unavailable("the notifier answered " + r.statusCode());
        } catch (IOException e) {
            LOG.warnf("the notifier at %s cannot be reached: %s", notifierUrl, e.toString());
            return unavailable("the notifier cannot be reached; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
    }

    private static Response unavailable(String detail) {
        return Problem.of("notifier-unavailable", "Notifier unavailable", 503, detail, null)
                .toResponse();
    }
}
