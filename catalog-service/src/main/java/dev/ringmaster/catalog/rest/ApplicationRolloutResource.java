package dev.ringmaster.catalog.rest;

import dev.ringmaster.catalog.api.RolloutPlanView;
import dev.ringmaster.catalog.api.RolloutRequest;
import dev.ringmaster.catalog.api.RolloutView;
import dev.ringmaster.catalog.service.RolloutCatalog;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Starting a rollout of an application (or planning one). */
@Path("/api/v1/applications/{app}/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "rollouts")
public class ApplicationRolloutResource {

    private final RolloutCatalog rollouts;

    public ApplicationRolloutResource(RolloutCatalog rollouts) {
        this.rollouts = rollouts;
    }

    /**
     * Rolls the application out on a ring: 201 with the rollout. With {@code ?dryRun=true}: 200 with the plan (layers,
     * each service's file and from -> to version, the clusters that must become ready), nothing started.
     */
    @POST
    public Response create(
            @PathParam("app") String app, @QueryParam("dryRun") boolean dryRun, RolloutRequest body, UriInfo uri) {
        RolloutRequest req = Requests.body(body);
        if (dryRun) {
            RolloutPlanView plan = rollouts.plan(app, req);
            return Response.ok(plan).build();
        }
        RolloutView created = rollouts.create(app, req);
        return Response.created(uri.getBaseUriBuilder()
                        .path("api/v1/rollouts")
                        .path(created.id())
                        .build())
                .entity(created)
                .build();
    }
}
