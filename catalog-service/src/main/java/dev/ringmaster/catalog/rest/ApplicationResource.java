package dev.ringmaster.catalog.rest;

import dev.ringmaster.catalog.api.ApplicationRequest;
import dev.ringmaster.catalog.api.ApplicationSummary;
import dev.ringmaster.catalog.api.ApplicationView;
import dev.ringmaster.catalog.api.DependencyMapView;
import dev.ringmaster.catalog.api.VersionMatrixView;
import dev.ringmaster.catalog.service.ApplicationCatalog;
import dev.ringmaster.catalog.service.RolloutCatalog;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/applications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "applications")
public class ApplicationResource {

    private final ApplicationCatalog applications;
    private final RolloutCatalog rollouts;

    public ApplicationResource(ApplicationCatalog applications, RolloutCatalog rollouts) {
        this.applications = applications;
        this.rollouts = rollouts;
    }

    @POST
    public Response create(ApplicationRequest body, UriInfo uri) {
        ApplicationView created = applications.create(Requests.body(body));
        return Response.created(
                        uri.getAbsolutePathBuilder().path(created.name()).build())
                .entity(created)
                .build();
    }

    @GET
    public List<ApplicationSummary> list() {
        return applications.list();
    }

    @GET
    @Path("{app}")
    public ApplicationView get(@PathParam("app") String app) {
        return applications.get(app);
    }

    /** The dependency map: layers in topological order. */
    @GET
    @Path("{app}/map")
    public DependencyMapView map(@PathParam("app") String app) {
        return applications.dependencyMap(app);
    }

    /** Which version each ring runs, per service (the version matrix). */
    @GET
    @Path("{app}/versions")
    public VersionMatrixView versions(@PathParam("app") String app) {
        return rollouts.versions(app);
    }

    @DELETE
    @Path("{app}")
    public Response delete(@PathParam("app") String app) {
        applications.delete(app);
        return Response.noContent().build();
    }
}
